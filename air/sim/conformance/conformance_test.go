package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/sim"
)

// TestCorpus runs every corpus case on Go interpreters only. It fails for as long as
// air.Invoke is incomplete: each case is a subtest, so -run 'TestCorpus/NAME' picks one.
func TestCorpus(t *testing.T) {
	dir, err := sim.CorpusDir()
	if err != nil {
		t.Skipf("no conformance corpus: %v", err)
	}
	files, err := sim.CaseFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := sim.CompareOptions{StrictCIDs: true, StrictData: true}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			c, err := sim.LoadCase(f)
			if err != nil {
				t.Fatal(err)
			}
			expected, err := os.ReadFile(sim.ExpectedPath(f))
			if err != nil {
				t.Fatal(err)
			}
			res, err := run(c)
			if err != nil {
				t.Fatal(err)
			}
			d, err := sim.CompareResult(expected, res, opts)
			if err != nil {
				t.Fatal(err)
			}
			if d != "" {
				t.Error(d)
			}
		})
	}
}

// run is sim.Run with air.Invoke, a panic turned into an error.
func run(c *sim.Case) (res *sim.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return sim.Run(c, air.Invoke)
}
