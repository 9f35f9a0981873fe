// Package mixed tests networks where some peers run the real AquaVM and others Cascade,
// passing the interpreter data between them as raw bytes.
package mixed

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/sim"
)

// TestMixedNetwork runs every conformance case twice (AVM on even peers, Cascade on odd
// ones, then the other way round) and requires the all-AVM recorded result each time.
func TestMixedNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("needs node and the oracle")
	}
	oracle, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "oracle"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	if _, err := os.Stat(filepath.Join(oracle, "node_modules")); err != nil {
		t.Skip("oracle dependencies not installed (npm ci in ../shared/oracle)")
	}
	cases, err := sim.CaseFiles(filepath.Join(oracle, "..", "conformance", "cases"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no conformance cases: %v", err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "cascade")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cascade")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out := filepath.Join(tmp, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"mixed.mjs", oracle, bin, out}, cases...)
	cmd := exec.Command("node", args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("driver: %v\n%s", err, b)
	}
	opts := sim.CompareOptions{StrictCIDs: true, StrictData: true}
	failed := 0
	for _, c := range cases {
		expected, err := os.ReadFile(sim.ExpectedPath(c))
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(c), ".json")
		for _, label := range []string{"even", "odd"} {
			actual, err := os.ReadFile(filepath.Join(out, name+"."+label+".json"))
			if err != nil {
				t.Fatal(err)
			}
			diff, err := sim.Compare(expected, actual, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				failed++
				t.Errorf("%s (%s peers on the AVM): %s", name, label, diff)
			}
		}
	}
	t.Logf("%d cases, %d mixed runs, %d diverged", len(cases), 2*len(cases), failed)
}
