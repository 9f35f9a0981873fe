// Package corpustest reads the conformance corpus (the shared folder's
// conformance/cases, beside the repository) for the tests of the air packages.
package corpustest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Dir returns the corpus folder, found from this file's place in the repository.
func Dir() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", "..", "..", "..", "shared", "conformance", "cases")
}

// CaseFile returns the path of the scenario (the input) of the case name.
func CaseFile(name string) string { return filepath.Join(Dir(), name+".json") }

// Files returns the paths of the corpus's recorded results (*.expected.json) in name
// order. It skips t when there are none.
func Files(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(Dir(), "*.expected.json"))
	if len(files) == 0 {
		t.Skip("conformance corpus not found at " + Dir())
	}
	return files
}

// Each decodes every recorded result of the corpus into a new T (any fields of the
// oracle's output schema) and calls fn with the case's name (its file name without
// ".expected.json"), in name order. It skips t when the corpus is not there and fails
// it on a file that cannot be read or decoded.
func Each[T any](t testing.TB, fn func(name string, rec *T)) {
	t.Helper()
	for _, f := range Files(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rec := new(T)
		if err := json.Unmarshal(b, rec); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fn(strings.TrimSuffix(filepath.Base(f), ".expected.json"), rec)
	}
}

// EachCidInfo calls fn with the cid_info of every data the corpus recorded (the JSON
// view of to_human_readable_data) decoded into a new S, and the case's name.
func EachCidInfo[S any](t testing.TB, fn func(name string, ci *S)) {
	t.Helper()
	type record struct {
		Invocations []struct {
			Data *struct {
				Data *struct {
					CidInfo S `json:"cid_info"`
				} `json:"data"`
			} `json:"data"`
		} `json:"invocations"`
	}
	Each(t, func(name string, c *record) {
		for _, inv := range c.Invocations {
			if inv.Data != nil && inv.Data.Data != nil {
				fn(name, &inv.Data.Data.CidInfo)
			}
		}
	})
}
