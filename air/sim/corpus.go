package sim

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CorpusDir finds the conformance corpus, ../shared/conformance/cases relative to the
// repository root, looking upward from the working directory for go.mod (tests run in
// their package's directory).
func CorpusDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			cases := filepath.Join(dir, "..", "shared", "conformance", "cases")
			if _, err := os.Stat(cases); err != nil {
				return "", err
			}
			return cases, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// CaseFiles expands files and directories into case files, as compare.mjs does: a
// directory stands for its *.json files, sorted, without the *.expected.json ones.
func CaseFiles(args ...string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range ents {
			n := e.Name()
			if strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".expected.json") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, filepath.Join(a, n))
		}
	}
	return out, nil
}

// ExpectedPath names the recorded result beside a case file: NAME.json → NAME.expected.json.
func ExpectedPath(casePath string) string {
	return strings.TrimSuffix(casePath, ".json") + ".expected.json"
}
