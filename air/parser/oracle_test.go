package parser

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Differential tests against the real AquaVM 0.62 (avm.wasm run by Node through the
// shared oracle). They are skipped when Node or the installed oracle is missing.

type oracleResult struct {
	RetCode      int    `json:"ret_code"`
	ErrorMessage string `json:"error_message"`
	CallArgs     []any  `json:"call_args"` // arguments of the first call request
}

func oracleDir() string {
	if d := os.Getenv("ORACLE_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "oracle")
}

// runOracle returns AquaVM's result for every script, or skips the test.
func runOracle(t *testing.T, scripts []string) []oracleResult {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	if _, err := os.Stat(filepath.Join(oracleDir(), "node_modules", "@fluencelabs", "avm")); err != nil {
		t.Skip("oracle not installed: ", err)
	}
	in, err := json.Marshal(scripts)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "avm_messages.mjs"))
	cmd.Env = append(os.Environ(), "ORACLE_DIR="+oracleDir())
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var res []oracleResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	if len(res) != len(scripts) {
		t.Fatalf("oracle returned %d results for %d scripts", len(res), len(scripts))
	}
	return res
}

// sameUpToHashOrder tells whether AquaVM's message want can be the report of script
// with the validator's errors in another order. AquaVM keeps some validator tables in
// Rust hash maps, whose iteration order changes from run to run: within one check the
// errors of different names come in any order (the errors of one name keep theirs).
func sameUpToHashOrder(script string, labels []Label, want string) bool {
	type group struct {
		check string // the check, e.g. "variable '"
		name  string
		items []label
	}
	var groups []group
	for _, l := range labels {
		check, name := l.Message, ""
		if i := strings.IndexByte(l.Message, '\''); i >= 0 {
			check = l.Message[:i]
			name, _, _ = strings.Cut(l.Message[i+1:], "'")
		}
		it := label{int(l.Start), int(l.End), l.Message}
		found := false
		for k := range groups {
			if name != "" && groups[k].check == check && groups[k].name == name {
				groups[k].items = append(groups[k].items, it)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, group{check, name, []label{it}})
		}
	}
	// Permute the groups of each check among themselves (a bounded number of tries).
	tries := 0
	var try func(i int) bool
	try = func(i int) bool {
		if tries++; tries > 20000 {
			return false
		}
		if i == len(groups) {
			var ls []label
			for _, g := range groups {
				ls = append(ls, g.items...)
			}
			return ErrorPrefix+renderReport(script, ls) == want
		}
		for j := i; j < len(groups); j++ {
			if groups[j].check != groups[i].check || groups[i].name == "" && j != i {
				continue
			}
			groups[i], groups[j] = groups[j], groups[i]
			ok := try(i + 1)
			groups[i], groups[j] = groups[j], groups[i]
			if ok {
				return true
			}
		}
		return false
	}
	return try(0)
}

// checkAgainstOracle parses every script and compares the outcome with AquaVM's. It
// returns the number of scripts whose errors only differ in the order of messages that
// AquaVM prints in (random) hash-map order.
func checkAgainstOracle(t *testing.T, scripts []string) (orderOnly int) {
	t.Helper()
	res := runOracle(t, scripts)
	failures := 0
	for i, s := range scripts {
		want := res[i]
		_, err := Parse(s)
		isParseErr := want.RetCode == 1 && strings.HasPrefix(want.ErrorMessage, ErrorPrefix)
		switch {
		case want.RetCode == -1:
			// AquaVM trapped (a known panic, e.g. on non-ASCII lambda fields): nothing to compare.
			continue
		case !isParseErr && err != nil:
			t.Errorf("script %q: AquaVM accepts it (ret_code %d), Cascade fails:\n%s", s, want.RetCode, err)
			failures++
		case isParseErr && err == nil:
			t.Errorf("script %q: AquaVM fails, Cascade accepts it:\n%s", s, want.ErrorMessage)
			failures++
		case isParseErr && err.Error() != want.ErrorMessage:
			if sameUpToHashOrder(s, err.(*Error).Labels, want.ErrorMessage) {
				orderOnly++
				continue
			}
			t.Errorf("script %q:\nAquaVM:  %q\nCascade: %q", s, want.ErrorMessage, err.Error())
			failures++
		}
		if failures > 30 {
			t.Fatal("too many failures")
		}
	}
	return orderOnly
}

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/handwritten.json from the real AquaVM")

const goldenFile = "testdata/handwritten.json"

// goldenCase is AquaVM's outcome for one handwritten script.
type goldenCase struct {
	Script string `json:"script"`
	// Error is AquaVM's parse error message, "" when the script parses.
	Error string `json:"error"`
	// Unordered marks messages whose lines AquaVM prints in hash-map order.
	Unordered bool `json:"unordered,omitempty"`
	// Trap marks scripts AquaVM panics on (non-ASCII lambda field names).
	Trap bool `json:"trap,omitempty"`
}

// TestHandwrittenAgainstAquaVM compares the handwritten scripts with the real AquaVM,
// and with -update-golden records AquaVM's outcomes in testdata/handwritten.json.
func TestHandwrittenAgainstAquaVM(t *testing.T) {
	if !*updateGolden {
		orderOnly := checkAgainstOracle(t, handwrittenScripts)
		t.Logf("%d scripts, %d differ only in hash-map message order", len(handwrittenScripts), orderOnly)
		return
	}
	res := runOracle(t, handwrittenScripts)
	// Run AquaVM again: messages that change between runs are in hash order.
	var again [][]oracleResult
	for k := 0; k < 4; k++ {
		again = append(again, runOracle(t, handwrittenScripts))
	}
	var golden []goldenCase
	for i, s := range handwrittenScripts {
		c := goldenCase{Script: s, Trap: res[i].RetCode == -1}
		if res[i].RetCode == 1 && strings.HasPrefix(res[i].ErrorMessage, ErrorPrefix) {
			c.Error = res[i].ErrorMessage
			for _, a := range again {
				c.Unordered = c.Unordered || a[i].ErrorMessage != c.Error
			}
		}
		golden = append(golden, c)
	}
	b, err := json.MarshalIndent(golden, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenFile, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHandwrittenGolden checks the handwritten scripts against AquaVM's recorded outcomes
// (no Node needed).
func TestHandwrittenGolden(t *testing.T) {
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var golden []goldenCase
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden) != len(handwrittenScripts) {
		t.Errorf("%s has %d cases, there are %d handwritten scripts (run with -update-golden)", goldenFile, len(golden), len(handwrittenScripts))
	}
	for _, c := range golden {
		if c.Trap {
			continue
		}
		_, err := Parse(c.Script)
		switch {
		case c.Error == "" && err != nil:
			t.Errorf("%q: unexpected error:\n%s", c.Script, err)
		case c.Error != "" && err == nil:
			t.Errorf("%q: parsed, AquaVM reports:\n%s", c.Script, c.Error)
		case c.Error != "" && err.Error() != c.Error:
			if c.Unordered && sameUpToHashOrder(c.Script, err.(*Error).Labels, c.Error) {
				continue
			}
			t.Errorf("%q:\nAquaVM:  %q\nCascade: %q", c.Script, c.Error, err.Error())
		}
	}
}
