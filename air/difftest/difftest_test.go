package difftest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cascadep2p/cascade/air/gen"
)

// Flags of the differential test. The default count is 300 valid and 100 malformed cases
// when $CI is "true", 100 and 30 otherwise, 30 and 10 with -short.
var (
	flagN         = flag.Int("difftest.n", -1, "number of generated valid cases (-1: the default)")
	flagMalformed = flag.Int("difftest.malformed", -1, "number of generated malformed cases (-1: the default)")
	flagSeed      = flag.Uint64("difftest.seed", 1, "seed of the generated cases")
	flagSave      = flag.Int("difftest.save", 25, "at most this many diverging cases (the smallest) are saved into air/testdata/difftest")
	flagKeep      = flag.String("difftest.dir", "", "work in this directory (kept) instead of a temporary one")
	flagReduce    = flag.Duration("difftest.reduce", 2*time.Minute, "time spent reducing each saved diverging case (0: save the cases as generated)")
	flagRun       = flag.String("difftest.run", "", "run cases with this shell command prefix (the case file is appended) instead of building `cascade conformance`; e.g. the oracle itself, to check the harness")
)

func caseCounts() (n, m int) {
	switch {
	case testing.Short():
		n, m = 30, 10
	case os.Getenv("CI") == "true":
		n, m = 300, 100
	default:
		n, m = 100, 30
	}
	if *flagN >= 0 {
		n = *flagN
	}
	if *flagMalformed >= 0 {
		m = *flagMalformed
	}
	return n, m
}

func env(t *testing.T) *Env {
	t.Helper()
	e, err := FindEnv()
	if errors.Is(err, ErrNoOracle) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func workDir(t *testing.T) string {
	if *flagKeep != "" {
		if err := os.MkdirAll(*flagKeep, 0o755); err != nil {
			t.Fatal(err)
		}
		return *flagKeep
	}
	return t.TempDir()
}

// generate writes the cases into dir/valid and dir/malformed, records them with the
// oracle, and returns the case files by kind and the cases by name. Cases the oracle
// failed on are reported as errors (the generator must not produce them) and left out.
func generate(t *testing.T, e *Env, dir string, seed uint64, n, m int) (valid, malformed []string, cases map[string]*gen.Case) {
	t.Helper()
	cases = map[string]*gen.Case{}
	for _, sub := range []string{"valid", "malformed"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var all []string
	for _, c := range gen.Batch(seed, n, m) {
		sub := "valid"
		if c.IsMalformed() {
			sub = "malformed"
		}
		p, err := c.WriteFile(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		cases[c.Name] = c
		all = append(all, p)
	}
	start := time.Now()
	traps, err := e.Record(context.Background(), all, 2*time.Minute+time.Duration(len(all))*time.Second)
	if err != nil {
		t.Fatalf("recording with the oracle: %v", err)
	}
	t.Logf("recorded %d cases with the oracle in %v", len(all), time.Since(start).Round(time.Millisecond))
	trapped := map[string]bool{}
	for _, tr := range traps {
		trapped[tr.File] = true
		t.Errorf("the oracle failed on generated case %s (the generator must avoid such programs): %s", tr.File, tr.Output)
	}
	for _, p := range all {
		if trapped[p] {
			continue
		}
		if strings.HasPrefix(filepath.Base(p), "mal-") {
			malformed = append(malformed, p)
		} else {
			valid = append(valid, p)
		}
	}
	return valid, malformed, cases
}

func outcomes(t *testing.T, files []string) map[string]*Outcome {
	out := map[string]*Outcome{}
	for _, f := range files {
		o, err := ReadOutcome(ExpectedPath(f))
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = o
	}
	return out
}

// TestGeneratedCasesAreInteresting records a small batch with the real AVM and checks that
// the generator's programs are valid and do something: several invocations, several
// peers, successes and errors. It prints the distribution with -v.
func TestGeneratedCasesAreInteresting(t *testing.T) {
	e := env(t)
	n, m := 60, 30
	valid, malformed, cases := generate(t, e, workDir(t), *flagSeed, n, m)
	var vc, mc []*gen.Case
	for _, f := range valid {
		vc = append(vc, cases[strings.TrimSuffix(filepath.Base(f), ".json")])
	}
	for _, f := range malformed {
		mc = append(mc, cases[strings.TrimSuffix(filepath.Base(f), ".json")])
	}
	vo, mo := outcomes(t, valid), outcomes(t, malformed)
	vs, ms := Summarize(vc, vo), Summarize(mc, mo)
	t.Logf("valid programs (seed %d):\n%s", *flagSeed, vs)
	t.Logf("malformed programs (seed %d):\n%s", *flagSeed, ms)

	// a valid program the AVM does not parse is a generator bug
	for _, f := range valid {
		o := vo[strings.TrimSuffix(filepath.Base(f), ".json")]
		if o.Invocations[0].RetCode == 1 {
			t.Errorf("generated valid case %s does not parse:\n%s\n%s", f, cases[strings.TrimSuffix(filepath.Base(f), ".json")].Script, o.Invocations[0].ErrorMessage)
		}
	}
	atLeast := func(what string, got, pct, of int) {
		if got*100 < pct*of {
			t.Errorf("only %d of %d %s (want at least %d%%)", got, of, what, pct)
		}
	}
	atLeast("valid cases with 2+ invocations", vs.MultiInvocation, 50, vs.Cases)
	atLeast("valid cases with 4+ invocations", vs.Long, 15, vs.Cases)
	atLeast("valid cases on 2+ peers", vs.MultiPeer, 15, vs.Cases)
	atLeast("valid cases that end well", vs.AllOK, 25, vs.Cases)
	atLeast("valid cases with an error", vs.SomeError, 10, vs.Cases)
	atLeast("malformed cases rejected by the parser", ms.ParseErrors, 70, ms.Cases)
	atLeast("malformed cases with an error position", ms.WithPosition, 60, ms.Cases)
}

// TestDifferential generates cases (-difftest.n valid, -difftest.malformed malformed, of
// -difftest.seed), records them with the real AVM, runs them on Cascade and compares.
// Diverging cases are listed, and the smallest -difftest.save of them are reduced (for at
// most -difftest.reduce each, see Env.Reduce) and copied into air/testdata/difftest/ to
// become regression cases (recorded with the oracle).
func TestDifferential(t *testing.T) {
	e := env(t)
	n, m := caseCounts()
	dir := workDir(t)
	t.Logf("seed %d: %d valid and %d malformed cases in %s", *flagSeed, n, m, dir)
	valid, malformed, cases := generate(t, e, dir, *flagSeed, n, m)
	// a generated valid program that the AVM does not parse is a generator bug
	for _, f := range valid {
		if o, err := ReadOutcome(ExpectedPath(f)); err == nil && len(o.Invocations) > 0 && o.Invocations[0].RetCode == 1 {
			t.Errorf("generator bug: the AVM rejects generated valid case %s: %s", caseName(f), tail(o.Invocations[0].ErrorMessage, 300))
		}
	}
	divs, run := runAndCompare(t, e, dir, append(append([]string{}, valid...), malformed...))
	if len(divs) == 0 {
		return
	}
	// the smallest scripts make the best regression cases
	sort.SliceStable(divs, func(i, j int) bool {
		return len(cases[caseName(divs[i].File)].Script) < len(cases[caseName(divs[j].File)].Script)
	})
	var saved []string
	dst := filepath.Join(e.Root, "air", "testdata", "difftest")
	total := len(valid) + len(malformed)
	if len(divs) == total && total > 5 {
		// everything diverges: a broken build or a stub, not divergences worth keeping
		t.Logf("every case diverges: none saved")
	} else {
		for _, d := range divs {
			if len(saved) >= *flagSave {
				break
			}
			file := d.File
			if *flagReduce > 0 {
				start := time.Now()
				small, err := e.Reduce(context.Background(), run, file, DiffKind(d.Diff), filepath.Dir(file), *flagReduce)
				if err != nil {
					t.Errorf("reducing %s: %v", caseName(file), err)
				} else if small != "" {
					t.Logf("reduced %s from %d to %d bytes of script in %v", caseName(file), len(cases[caseName(file)].Script), scriptLen(t, small), time.Since(start).Round(time.Second))
					file = small
				}
			}
			p, err := SaveCase(file, dst)
			if err != nil {
				t.Fatal(err)
			}
			saved = append(saved, filepath.Base(p))
		}
	}
	var b strings.Builder
	for _, d := range divs {
		fmt.Fprintf(&b, "  %s: %s\n", caseName(d.File), d.Diff)
	}
	t.Errorf("%d of %d cases diverge from the real AVM (seed %d; saved cases rerun with `go test ./air/difftest -run TestCorpus`):\n%s",
		len(divs), total, *flagSeed, b.String())
	if len(saved) > 0 {
		t.Errorf("saved %d diverging cases into %s: %s; commit them", len(saved), dst, strings.Join(saved, " "))
	}
}

func caseName(file string) string { return strings.TrimSuffix(filepath.Base(file), ".json") }

// runAndCompare builds cascade into dir (unless -difftest.run is given) and compares the
// case files with it (see Env.CompareAll); it returns the divergences and the command.
func runAndCompare(t *testing.T, e *Env, dir string, files []string) ([]Divergence, string) {
	t.Helper()
	ctx := context.Background()
	if len(files) == 0 {
		t.Skip("no cases")
	}
	run := *flagRun
	if run == "" {
		bin := filepath.Join(dir, "cascade")
		if err := e.BuildCascade(ctx, bin); err != nil {
			t.Fatal(err)
		}
		run = CascadeCommand(bin)
	}
	if err := CheckConformanceCommand(ctx, run, files[0]); err != nil {
		t.Fatalf("%v; nothing compared", err)
	}
	start := time.Now()
	divs, err := e.CompareAll(ctx, run, files, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compared %d cases with cascade in %v", len(files), time.Since(start).Round(time.Millisecond))
	return divs, run
}

func scriptLen(t *testing.T, file string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c gen.Case
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return len(c.Script)
}

// TestCorpus compares every recorded case under air/testdata/ (NAME.json with
// NAME.expected.json beside it) with Cascade, by Env.CompareAll's rules (cases tagged
// "malformed" are compared on the return code and the error position).
func TestCorpus(t *testing.T) {
	e := env(t)
	files, err := CaseFiles(filepath.Join(e.Root, "air", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no recorded cases under air/testdata")
	}
	divs, _ := runAndCompare(t, e, t.TempDir(), files)
	for _, d := range divs {
		rel, _ := filepath.Rel(e.Root, d.File)
		t.Errorf("%s: %s", rel, d.Diff)
	}
}
