package parser

import (
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/internal/corpustest"
)

// The shared corpora: conformance cases (recorded AquaVM runs) and compiled Aqua.
// Both live in the shared folder beside the repository.
var (
	aquaDir = filepath.Join("..", "..", "..", "shared", "aqua", "compiled")
)

type corpusCase struct {
	name    string
	script  string
	wantErr string // the recorded parse error message, or ""
}

// conformanceCases returns every script of the conformance corpus with the parse
// error AquaVM recorded for it (if its first invocation failed to parse).
func conformanceCases(t testing.TB) []corpusCase {
	type record struct {
		ScriptResolved string `json:"script_resolved"`
		Invocations    []struct {
			RetCode      int    `json:"ret_code"`
			ErrorMessage string `json:"error_message"`
		} `json:"invocations"`
	}
	var out []corpusCase
	corpustest.Each(t, func(name string, rec *record) {
		c := corpusCase{name: name + ".expected.json", script: rec.ScriptResolved}
		if len(rec.Invocations) > 0 && rec.Invocations[0].RetCode == 1 &&
			strings.HasPrefix(rec.Invocations[0].ErrorMessage, ErrorPrefix) {
			c.wantErr = rec.Invocations[0].ErrorMessage
		}
		out = append(out, c)
		// The unresolved script (with {{peer}} placeholders) must parse the same way.
		if b, err := os.ReadFile(corpustest.CaseFile(name)); err == nil {
			var in struct {
				Script string `json:"script"`
			}
			if json.Unmarshal(b, &in) == nil && in.Script != "" && in.Script != rec.ScriptResolved {
				out = append(out, corpusCase{name: name + ".json", script: in.Script, wantErr: c.wantErr})
			}
		}
	})
	return out
}

func aquaScripts(t testing.TB) map[string]string {
	out := map[string]string{}
	_ = filepath.Walk(aquaDir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(path, ".air") {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			out[path] = string(b)
		}
		return nil
	})
	return out
}

func TestConformanceCorpus(t *testing.T) {
	cases := conformanceCases(t)
	parseErrors := 0
	for _, c := range cases {
		_, err := Parse(c.script)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%s: unexpected error:\n%s", c.name, err)
		case c.wantErr != "" && err == nil:
			t.Errorf("%s: parsed, AquaVM reported:\n%s", c.name, c.wantErr)
		case c.wantErr != "" && err.Error() != c.wantErr:
			t.Errorf("%s:\nwant %q\ngot  %q", c.name, c.wantErr, err.Error())
		case c.wantErr != "":
			parseErrors++
		}
	}
	t.Logf("%d scripts, %d recorded parse errors reproduced", len(cases), parseErrors)
}

func TestAquaCompiled(t *testing.T) {
	scripts := aquaScripts(t)
	if len(scripts) == 0 {
		t.Skip("compiled aqua not found")
	}
	for path, s := range scripts {
		if _, err := Parse(s); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// corpusScripts returns all valid corpus scripts, sorted for determinism.
func corpusScripts(t testing.TB) []string {
	var out []string
	for _, c := range conformanceCases(t) {
		if c.wantErr == "" {
			out = append(out, c.script)
		}
	}
	for _, s := range aquaScripts(t) {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// wordSpans splits a script into rough tokens (brackets, quoted literals, words).
func wordSpans(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '[' || c == ']':
			out = append(out, [2]int{i, i + 1})
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				out = append(out, [2]int{i, len(s)})
				i = len(s)
			} else {
				out = append(out, [2]int{i, i + j + 2})
				i += j + 2
			}
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\t\r()[]", rune(s[j])) {
				j++
			}
			out = append(out, [2]int{i, j})
			i = j
		}
	}
	return out
}

var mutationTokens = []string{
	"(", ")", "[", "]", "[]", "seq", "par", "xor", "call", "ap", "canon", "fold", "next", "new",
	"null", "never", "fail", "match", "mismatch", "x", "$s", "#$c", "%m", "#%m", "#c", "i",
	"%init_peer_id%", ":error:", "%last_error%", ":error:.$.message", "%timestamp%", "%ttl%",
	`"lit"`, "0", "1", "-7", "1.5", "true", "false", "x.$.a", "x.$.[0]", "#$c.$.[0]", "#$c.length",
	"$s.$.a", "%m.$.a", "#%m.$.k", "x.$.[i]", "x.$.a.[", "1.2.3", "$", "#", "..", `"open`, ";c\n",
}

const mutationChars = "()[]\";. $#%!@:0a\n\t\x00é"

// mutate returns a deterministic pseudo-random damaged copy of s.
func mutate(r *rand.Rand, s string) string {
	spans := wordSpans(s)
	if len(spans) == 0 {
		return s + ")"
	}
	pick := func() [2]int { return spans[r.Intn(len(spans))] }
	switch r.Intn(8) {
	case 0: // delete a token
		w := pick()
		return s[:w[0]] + s[w[1]:]
	case 1: // delete a character
		i := r.Intn(len(s))
		return s[:i] + s[i+1:]
	case 2: // insert a character
		i := r.Intn(len(s) + 1)
		c := []rune(mutationChars)[r.Intn(len([]rune(mutationChars)))]
		return s[:i] + string(c) + s[i:]
	case 3: // duplicate a token
		w := pick()
		return s[:w[1]] + " " + s[w[0]:w[1]] + s[w[1]:]
	case 4: // replace a token
		w := pick()
		return s[:w[0]] + mutationTokens[r.Intn(len(mutationTokens))] + s[w[1]:]
	case 5: // truncate
		return s[:r.Intn(len(s))]
	case 6: // swap two adjacent tokens
		k := r.Intn(len(spans))
		if k+1 >= len(spans) {
			return s[:spans[k][0]]
		}
		a, b := spans[k], spans[k+1]
		return s[:a[0]] + s[b[0]:b[1]] + s[a[1]:b[0]] + s[a[0]:a[1]] + s[b[1]:]
	default: // insert a token
		w := pick()
		return s[:w[0]] + mutationTokens[r.Intn(len(mutationTokens))] + " " + s[w[0]:]
	}
}

// mutations returns n damaged corpus scripts (some damaged twice).
func mutations(t testing.TB, n int, seed int64) []string {
	base := corpusScripts(t)
	r := rand.New(rand.NewSource(seed))
	out := make([]string, 0, n)
	for len(out) < n {
		s := mutate(r, base[r.Intn(len(base))])
		if r.Intn(3) == 0 {
			s = mutate(r, s)
		}
		out = append(out, s)
	}
	return out
}

// TestMutationsAgainstAquaVM checks that Cascade fails on exactly the damaged scripts
// AquaVM fails on, with exactly AquaVM's message (so the same line:column too).
func TestMutationsAgainstAquaVM(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	orderOnly := checkAgainstOracle(t, mutations(t, n, 1))
	t.Logf("%d mutated scripts checked, %d differ only in hash-map message order", n, orderOnly)
}

// TestRandomLambdasAgainstAquaVM compares random lambda-like words after every kind of
// variable (AquaVM's lambda parser reports its errors as Rust Debug dumps).
func TestRandomLambdasAgainstAquaVM(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alpha := []string{".", "$", "[", "]", "!", "0", "12", "a", "bc", "-", "_", ".$", ".length", "@", "(", ")", ":", "\"", "99999999999", "x"}
	var scripts []string
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		w := ""
		n := 1 + r.Intn(7)
		if r.Intn(2) == 0 {
			w = ".$"
		}
		for k := 0; k < n; k++ {
			w += alpha[r.Intn(len(alpha))]
		}
		prefix := []string{"x", ":error:", "%last_error%", "#$cc", "#%mm", "$ss", "#c"}[r.Intn(7)]
		scripts = append(scripts, `(seq (ap 1 x) (seq (canon "p" $ss #$cc) (seq (canon "p" %mm #%mm) (call "p" ("s" "f") [`+prefix+w+`] out))))`)
	}
	checkAgainstOracle(t, scripts)
}
