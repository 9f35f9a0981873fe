package parser

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// These tests check that the automata built by buildLALR are the ones LALRPOP generated
// for AquaVM (same states, same action on every terminal, same gotos), by reading the
// tables out of the generated parsers in an AquaVM 0.62 source checkout. They are skipped
// unless AQUAVM_SRC names such a checkout.

func aquavmSource(t *testing.T, rel string) string {
	dir := os.Getenv("AQUAVM_SRC")
	if dir == "" {
		t.Skip("AQUAVM_SRC not set: no AquaVM source checkout to compare the tables with")
	}
	b, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Skip("AquaVM sources not found: ", err)
	}
	return string(b)
}

// generatedTables is what the test reads from a LALRPOP-generated parser.
type generatedTables struct {
	action [][]int          // per state, per terminal (error last)
	eof    []int            // per state
	prods  []string         // reduce index -> "LHS -> rhs..." (normalized names)
	ntName map[int]string   // nonterminal index -> name
	gotos  map[int]gotoFunc // nonterminal index -> goto
}

type gotoFunc struct {
	byState map[int]int
	dflt    int
}

var (
	reNumber     = regexp.MustCompile(`-?\d+`)
	reProduction = regexp.MustCompile(`(?m)^\s*// (.*) => ActionFn`)
	reReduceFn   = regexp.MustCompile(`(?s)fn __reduce(\d+)<.*?// ([^\n]*) => ActionFn.*?\((\d+), (\d+)\)\n    \}`)
	reGotoArm    = regexp.MustCompile(`(?m)^            (\d+) => (\d+),`)
	reGotoMatch  = regexp.MustCompile(`(?s)            (\d+) => match state \{(.*?)\n            \},`)
	reGotoCase   = regexp.MustCompile(`(?m)^                ([\d |_]+) => (\d+),`)
)

func readGenerated(t *testing.T, src string, width int, rename map[string]string) *generatedTables {
	g := &generatedTables{ntName: map[int]string{}, gotos: map[int]gotoFunc{}}
	section := func(start, end string) string {
		i := strings.Index(src, start)
		if i < 0 {
			t.Fatalf("%q not found in the generated parser", start)
		}
		j := strings.Index(src[i:], end)
		return src[i : i+j]
	}
	var row []int
	for _, line := range strings.Split(section("const __ACTION", "];"), "\n")[1:] {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		for _, m := range reNumber.FindAllString(line, -1) {
			v, _ := strconv.Atoi(m)
			if row = append(row, v); len(row) == width {
				g.action, row = append(g.action, row), nil
			}
		}
	}
	for _, line := range strings.Split(section("const __EOF_ACTION", "];"), "\n")[1:] {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "//") {
			v, _ := strconv.Atoi(strings.TrimSuffix(l, ","))
			g.eof = append(g.eof, v)
		}
	}
	norm := func(s string) string {
		lhs, rhs, _ := strings.Cut(s, " = ")
		if r, ok := rename[lhs]; ok {
			lhs = r
		}
		var parts []string
		for _, p := range strings.Split(strings.TrimSpace(rhs), ", ") {
			if r, ok := rename[p]; ok {
				p = r
			}
			if p != "" {
				parts = append(parts, p)
			}
		}
		return lhs + " -> " + strings.Join(parts, " ")
	}
	// The accepting reduction is written inline in __reduce, the others in __reduceN.
	all := reProduction.FindAllStringSubmatch(src, -1)
	g.prods = make([]string, len(all))
	for k := 1; k < len(all); k++ {
		g.prods[k-1] = norm(all[k][1])
	}
	g.prods[len(all)-1] = norm(all[0][1])
	for _, m := range reReduceFn.FindAllStringSubmatch(src, -1) {
		nt, _ := strconv.Atoi(m[4])
		lhs, _, _ := strings.Cut(norm(m[2]), " -> ")
		g.ntName[nt] = lhs
	}
	body := section("fn __goto(", "\n    }\n")
	for _, m := range reGotoArm.FindAllStringSubmatch(body, -1) {
		nt, _ := strconv.Atoi(m[1])
		v, _ := strconv.Atoi(m[2])
		g.gotos[nt] = gotoFunc{dflt: v}
	}
	for _, m := range reGotoMatch.FindAllStringSubmatch(body, -1) {
		nt, _ := strconv.Atoi(m[1])
		f := gotoFunc{byState: map[int]int{}}
		for _, c := range reGotoCase.FindAllStringSubmatch(m[2], -1) {
			v, _ := strconv.Atoi(c[2])
			for _, st := range strings.Split(c[1], "|") {
				if st = strings.TrimSpace(st); st == "_" {
					f.dflt = v
				} else {
					k, _ := strconv.Atoi(st)
					f.byState[k] = v
				}
			}
		}
		g.gotos[nt] = f
	}
	if len(g.action) == 0 || len(g.prods) == 0 || len(g.ntName) < 3 || len(g.gotos) < 3 {
		t.Fatalf("could not read the generated tables (%d states, %d productions, %d nonterminals, %d gotos)",
			len(g.action), len(g.prods), len(g.ntName), len(g.gotos))
	}
	return g
}

func (g *generatedTables) gotoOf(state, nt int) int {
	f := g.gotos[nt]
	if v, ok := f.byState[state]; ok {
		return v
	}
	return f.dflt
}

// checkIsomorphic pairs the states of both automata from the start state and compares
// every action and goto.
func checkIsomorphic(t *testing.T, mine *lrTables, rules []grammarRule, theirs *generatedTables) {
	prodText := func(p int) string {
		if p == 0 {
			return "__start -> " + rules[0].lhs
		}
		r := rules[p-1]
		return r.lhs + " -> " + strings.Join(strings.Fields(r.rhs), " ")
	}
	myNT := map[string]int{"__start": 0}
	for _, r := range rules {
		if _, ok := myNT[r.lhs]; !ok {
			myNT[r.lhs] = len(myNT)
		}
	}
	pair, rev := map[int]int{0: 0}, map[int]int{0: 0}
	queue := []int{0}
	link := func(a, b int) {
		if x, ok := pair[a]; ok {
			if x != b {
				t.Fatalf("state %d corresponds to LALRPOP states %d and %d", a, x, b)
			}
			return
		}
		if _, ok := rev[b]; ok {
			t.Fatalf("LALRPOP state %d corresponds to two states", b)
		}
		pair[a], rev[b] = b, a
		queue = append(queue, a)
	}
	compare := func(s, col, a, b int) {
		switch {
		case a == 0 && b == 0:
		case a > 0 && b > 0:
			link(a-1, b-1)
		case a < 0 && b < 0:
			if pm, pt := prodText(-a-1), theirs.prods[-b-1]; pm != pt {
				t.Errorf("state %d, terminal %d: reduce %q, LALRPOP reduces %q", s, col, pm, pt)
			}
		default:
			t.Errorf("state %d, terminal %d: action %d, LALRPOP %d", s, col, a, b)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		S := pair[s]
		for col := 0; col <= mine.nTerm; col++ {
			compare(s, col, int(mine.act(s, col)), theirs.action[S][col])
		}
		compare(s, -1, int(mine.eof[s]), theirs.eof[S])
		for tnt, name := range theirs.ntName {
			if mnt, ok := myNT[name]; ok && name != "__start" {
				if g := mine.gotoState(s, mnt); g >= 0 {
					link(g, theirs.gotoOf(S, tnt))
				}
			}
		}
	}
	if len(pair) != mine.nStates || len(pair) != len(theirs.action) {
		t.Errorf("%d states paired; %d states here, %d in LALRPOP's automaton", len(pair), mine.nStates, len(theirs.action))
	}
}

func TestAIRAutomatonIsLALRPOPs(t *testing.T) {
	src := aquavmSource(t, "crates/air-lib/air-parser/src/parser/air.rs")
	loadTables()
	g := readGenerated(t, src, numAirTerminals+1, map[string]string{"(<Arg>)+": "ArgPlus", "__AIR": "__start"})
	checkIsomorphic(t, airTables, airRules, g)
}

func TestLambdaAutomatonIsLALRPOPs(t *testing.T) {
	src := aquavmSource(t, "crates/air-lib/lambda/parser/src/parser/va_lambda.rs")
	loadTables()
	g := readGenerated(t, src, numLambdaTerminals+1, map[string]string{"ValueAccessor+": "AccessorPlus", "__RawLambdaAST": "__start"})
	checkIsomorphic(t, lambdaTables, lambdaRules, g)
}
