// Package difftest runs AIR scenario cases on the real AquaVM (the Node oracle in
// ../shared/oracle) and on Cascade (`cascade conformance`), and compares the two with
// ../shared/conformance/compare.mjs.
//
// Its tests are the differential test of the interpreter: TestDifferential generates
// cases with package gen, records them with the oracle (one `node run.mjs --direct
// --record` over the whole batch), and compares Cascade's results; the cases that
// diverge are reduced ([Env.Reduce]) and copied into air/testdata/difftest/ so that they
// stay regression cases. TestCorpus compares every recorded case under air/testdata/.
// TestGeneratedCasesAreInteresting checks that the generator's programs are valid and do
// something. See difftest_test.go for the flags, and scripts/difftest.sh for large runs.
//
// [Env.CompareAll] holds the comparison rules. Malformed programs (cases tagged
// "malformed") are compared with compare.mjs --loose-errors, which ignores the error
// text, plus a check of their own: the first `script.air:LINE:COLUMN` position in the
// first invocation's error message must match. Error 30000 lists call results in an
// order that varies from run to run on the AVM, so such messages are compared with the
// results sorted.
package difftest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// ErrNoOracle is returned by [FindEnv] when node or the oracle's node_modules is missing.
var ErrNoOracle = errors.New("difftest: node or the oracle (../shared/oracle/node_modules) is missing")

// Env locates the repository and the tools the tests run.
type Env struct {
	Root   string // the repository root (holds go.mod)
	Shared string // the shared folder, ../shared from the root
	Node   string // the node executable
}

// FindEnv finds the repository root above the working directory, the shared folder beside
// it (or in $CASCADE_SHARED) and node. It returns an error wrapping [ErrNoOracle] when the
// oracle cannot run here.
func FindEnv() (*Env, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return nil, fmt.Errorf("difftest: no go.mod above %s", wd)
		}
		root = parent
	}
	shared := os.Getenv("CASCADE_SHARED")
	if shared == "" {
		shared = filepath.Join(root, "..", "shared")
	}
	shared, _ = filepath.Abs(shared)
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoOracle, err)
	}
	if _, err := os.Stat(filepath.Join(shared, "oracle", "node_modules", "@fluencelabs", "avm")); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoOracle, err)
	}
	return &Env{Root: root, Shared: shared, Node: node}, nil
}

// ExpectedPath returns the path of the recorded outcome of the case file p.
func ExpectedPath(p string) string { return strings.TrimSuffix(p, ".json") + ".expected.json" }

// Trap is a case on which the oracle itself failed (a Wasm trap or panic inside the AVM,
// an exception in the simulation, or a time-out): it has no recorded outcome.
type Trap struct {
	File   string
	Output string // the end of the oracle's error output
}

// Record runs the oracle once over files (`node run.mjs --direct --record`), writing
// CASE.expected.json beside each case. When the oracle dies on a case, that case is
// reported as a Trap and recording resumes with the next one; timeout bounds each run of
// the oracle.
func (e *Env) Record(ctx context.Context, files []string, timeout time.Duration) ([]Trap, error) {
	files = append([]string(nil), files...)
	sort.Strings(files)
	var traps []Trap
	for len(files) > 0 {
		n := min(len(files), chunk)
		t, err := e.record(ctx, files[:n], timeout)
		traps = append(traps, t...)
		if err != nil {
			return traps, err
		}
		files = files[n:]
	}
	return traps, nil
}

// chunk bounds the number of case files on one command line.
const chunk = 500

func (e *Env) record(ctx context.Context, files []string, timeout time.Duration) ([]Trap, error) {
	for _, f := range files {
		_ = os.Remove(ExpectedPath(f))
	}
	var traps []Trap
	for len(files) > 0 {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		args := append([]string{filepath.Join(e.Shared, "oracle", "run.mjs"), "--direct", "--record"}, files...)
		cmd := exec.CommandContext(cctx, e.Node, args...)
		cmd.Dir = filepath.Join(e.Shared, "oracle")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.WaitDelay = 5 * time.Second
		err := cmd.Run()
		cancel()
		if err == nil {
			return traps, nil
		}
		if ctx.Err() != nil {
			return traps, ctx.Err()
		}
		bad := -1
		for i, f := range files {
			if _, serr := os.Stat(ExpectedPath(f)); serr != nil {
				bad = i
				break
			}
		}
		if bad < 0 {
			return traps, fmt.Errorf("difftest: oracle failed after recording every case: %v: %s", err, tail(stderr.String(), 600))
		}
		out := oracleError(stderr.String())
		if cctx.Err() != nil {
			out = fmt.Sprintf("timed out after %s; %s", timeout, out)
		}
		traps = append(traps, Trap{File: files[bad], Output: out})
		files = files[bad+1:]
	}
	return traps, nil
}

// oracleError returns the start of what run.mjs printed after its last "recorded" line:
// the error (e.g. "RuntimeError: unreachable" and the top of the Wasm stack).
func oracleError(stderr string) string {
	if i := strings.LastIndex(stderr, "\nrecorded "); i >= 0 {
		if j := strings.IndexByte(stderr[i+1:], '\n'); j >= 0 {
			stderr = stderr[i+1+j+1:]
		}
	}
	stderr = strings.TrimSpace(stderr)
	if len(stderr) > 700 {
		stderr = stderr[:700] + "..."
	}
	return stderr
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "..." + s[len(s)-n:]
	}
	return s
}

// BuildCascade builds the cascade binary into out.
func (e *Env) BuildCascade(ctx context.Context, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/cascade")
	cmd.Dir = e.Root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/cascade: %v\n%s", err, b)
	}
	return nil
}

// CascadeCommand is the command prefix that runs a case on the cascade binary bin: the
// case file is appended as the last argument.
func CascadeCommand(bin string) string { return ShellQuote(bin) + " conformance" }

// runCmd runs the shell command prefix with file appended, as compare.mjs does.
func runCmd(ctx context.Context, prefix, file string) *exec.Cmd {
	return exec.CommandContext(ctx, "/bin/sh", "-c", prefix+" "+ShellQuote(file))
}

// runOutcome runs one case with the shell command prefix, within timeout, and reads the
// outcome it prints.
func runOutcome(ctx context.Context, prefix, file string, timeout time.Duration) (*Outcome, error) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	b, err := runCmd(cctx, prefix, file).Output()
	cancel()
	if err != nil {
		return nil, fmt.Errorf("running the case: %v", err)
	}
	got, err := ParseOutcome(b)
	if err != nil {
		return nil, fmt.Errorf("output is not JSON: %v", err)
	}
	return got, nil
}

// CheckConformanceCommand runs the command prefix (see [CascadeCommand]) on a case once
// and returns an error if the binary has no conformance command (the interpreter is not
// wired yet): comparing would then only produce noise, and no case must be saved as a
// divergence.
func CheckConformanceCommand(ctx context.Context, prefix, caseFile string) error {
	cmd := runCmd(ctx, prefix, caseFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil && strings.Contains(stderr.String(), "unknown command") {
		return fmt.Errorf("cascade has no conformance command yet: %s", tail(stderr.String(), 200))
	}
	return nil
}

// Divergence is a case whose outcome differs between Cascade and the oracle.
type Divergence struct {
	File string // the case file
	Diff string // compare.mjs's first difference, or the error-position mismatch
}

var resultLine = regexp.MustCompile(`^(ok  |FAIL) (\S+?)(?:: (.*))?$`)

// Compare runs compare.mjs with --strict-cids --strict-data (and --loose-errors if loose)
// over files, running each with the shell command prefix followed by the case file (see
// [CascadeCommand]), and returns the failing cases. timeout is compare.mjs's limit per
// case.
func (e *Env) Compare(ctx context.Context, prefix string, files []string, loose bool, timeout time.Duration) ([]Divergence, error) {
	var out []Divergence
	for len(files) > 0 {
		n := min(len(files), chunk)
		d, err := e.compare(ctx, prefix, files[:n], loose, timeout)
		out = append(out, d...)
		if err != nil {
			return out, err
		}
		files = files[n:]
	}
	return out, nil
}

func (e *Env) compare(ctx context.Context, prefix string, files []string, loose bool, timeout time.Duration) ([]Divergence, error) {
	args := []string{filepath.Join(e.Shared, "conformance", "compare.mjs"), "--strict-cids", "--strict-data"}
	if loose {
		args = append(args, "--loose-errors")
	}
	args = append(args, "--timeout", fmt.Sprint(int(timeout.Seconds())), "--run", prefix)
	args = append(args, files...)
	cmd := exec.CommandContext(ctx, e.Node, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return nil, fmt.Errorf("compare.mjs: %v: %s", err, tail(stderr.String(), 600))
	}
	byBase := map[string]string{}
	for _, f := range files {
		byBase[filepath.Base(f)] = f
	}
	var out []Divergence
	seen := 0
	for _, line := range strings.Split(stdout.String(), "\n") {
		m := resultLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		seen++
		if m[1] == "FAIL" {
			out = append(out, Divergence{File: byBase[m[2]], Diff: m[3]})
		}
	}
	if seen != len(files) {
		return out, fmt.Errorf("compare.mjs reported %d cases of %d: %s", seen, len(files), tail(stdout.String()+stderr.String(), 600))
	}
	return out, nil
}

// ShellQuote quotes s for /bin/sh.
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

var errorPos = regexp.MustCompile(`script\.air:(\d+):(\d+)`)

// ErrorPosition returns the first "LINE:COLUMN" of a `script.air:LINE:COLUMN` reference in
// an error message, or "".
func ErrorPosition(msg string) string {
	m := errorPos.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	return m[1] + ":" + m[2]
}

// Outcome is the part of a recorded result (the oracle's output schema) the tests read:
// per invocation its peer, return code, error message, next peers and call requests;
// the undelivered messages and whether the run was truncated.
type Outcome struct {
	Invocations []struct {
		Peer         string `json:"peer"`
		RetCode      int64  `json:"ret_code"`
		ErrorMessage string `json:"error_message"`
		NextPeers    []any  `json:"next_peers"`
		CallRequests []any  `json:"call_requests"`
	} `json:"invocations"`
	Undelivered []any `json:"undelivered"`
	Truncated   bool  `json:"truncated"`
}

// ReadOutcome parses a result file.
func ReadOutcome(p string) (*Outcome, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return ParseOutcome(b)
}

// ParseOutcome parses a result (the oracle's, or `cascade conformance`'s output).
func ParseOutcome(b []byte) (*Outcome, error) {
	var o Outcome
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// FirstErrorPosition returns the error position of the first invocation, or "".
func (o *Outcome) FirstErrorPosition() string {
	if len(o.Invocations) == 0 {
		return ""
	}
	return ErrorPosition(o.Invocations[0].ErrorMessage)
}

// CheckPositions runs each malformed case whose recorded first invocation names an error
// position with the shell command prefix (see [CascadeCommand]), and returns the cases
// where Cascade's position differs (compare.mjs --loose-errors ignores the whole message).
func CheckPositions(ctx context.Context, prefix string, files []string, timeout time.Duration) []Divergence {
	var out []Divergence
	for _, f := range files {
		exp, err := ReadOutcome(ExpectedPath(f))
		if err != nil {
			out = append(out, Divergence{File: f, Diff: err.Error()})
			continue
		}
		want := exp.FirstErrorPosition()
		if want == "" {
			continue
		}
		got, err := runOutcome(ctx, prefix, f, timeout)
		if err != nil {
			out = append(out, Divergence{File: f, Diff: "error position: " + err.Error()})
			continue
		}
		if g := got.FirstErrorPosition(); g != want {
			msg := ""
			if len(got.Invocations) > 0 {
				msg = got.Invocations[0].ErrorMessage
			}
			out = append(out, Divergence{File: f, Diff: fmt.Sprintf("error position: expected script.air:%s got %q in %q", want, g, tail(msg, 200))})
		}
	}
	return out
}

// SaveCase copies a case file and its recorded outcome into dir and returns the saved
// case's path. The saved name is the case's name plus a hash of its content, so that a
// case generated again under the same name by a changed generator never overwrites an
// earlier regression case.
func SaveCase(file, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	exp, err := os.ReadFile(ExpectedPath(file))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(text)
	dst := filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), ".json")+"-"+hex.EncodeToString(sum[:4])+".json")
	if err := os.WriteFile(dst, text, 0o644); err != nil {
		return "", err
	}
	return dst, os.WriteFile(ExpectedPath(dst), exp, 0o644)
}

// CaseFiles returns the case files (*.json with a recorded *.expected.json beside) under
// dir, recursively, sorted.
func CaseFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".expected.json") {
			return nil
		}
		if _, err := os.Stat(ExpectedPath(p)); err == nil {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// unprocessedItem is one call result listed in the message of error 30000 ("unprocessed
// call results"), which AquaVM prints in hash-map order: the order varies from run to run.
var unprocessedItem = regexp.MustCompile(`"\d+": CallServiceResult \{ ret_code: -?\d+, result: "(?:[^"\\]|\\.)*" \}`)

// NormalizeMessage sorts the call results listed in an "unprocessed call results" message
// (error 30000), whose order AquaVM does not fix; other messages are returned unchanged.
func NormalizeMessage(msg string) string {
	locs := unprocessedItem.FindAllStringIndex(msg, -1)
	if len(locs) < 2 {
		return msg
	}
	items := make([]string, len(locs))
	for i, l := range locs {
		items[i] = msg[l[0]:l[1]]
	}
	sort.Strings(items)
	var b strings.Builder
	b.WriteString(msg[:locs[0][0]])
	for i, l := range locs {
		b.WriteString(items[i])
		end := len(msg)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		b.WriteString(msg[l[1]:end])
	}
	return b.String()
}

// HasUnorderedMessage reports whether an outcome has an error message whose text varies
// from run to run on the real AVM (error 30000 listing two or more call results): such a
// case is compared with --loose-errors plus [CheckMessages].
func (o *Outcome) HasUnorderedMessage() bool {
	for _, inv := range o.Invocations {
		if inv.RetCode == 30000 && len(unprocessedItem.FindAllStringIndex(inv.ErrorMessage, -1)) >= 2 {
			return true
		}
	}
	return false
}

// CheckMessages runs each case with the shell command prefix (see [CascadeCommand]) and
// returns the cases where an invocation's error message differs from the recorded one
// other than in the order of the call results an error 30000 lists.
func CheckMessages(ctx context.Context, prefix string, files []string, timeout time.Duration) []Divergence {
	var out []Divergence
	for _, f := range files {
		exp, err := ReadOutcome(ExpectedPath(f))
		if err != nil {
			out = append(out, Divergence{File: f, Diff: err.Error()})
			continue
		}
		got, err := runOutcome(ctx, prefix, f, timeout)
		if err != nil {
			out = append(out, Divergence{File: f, Diff: "error messages: " + err.Error()})
			continue
		}
		for i := range min(len(exp.Invocations), len(got.Invocations)) {
			w, g := NormalizeMessage(exp.Invocations[i].ErrorMessage), NormalizeMessage(got.Invocations[i].ErrorMessage)
			if w != g {
				out = append(out, Divergence{File: f, Diff: fmt.Sprintf("$.invocations[%d].error_message (call results sorted): expected %q got %q", i, tail(w, 300), tail(g, 300))})
				break
			}
		}
	}
	return out
}

// CompareAll compares case files with the shell command prefix (see [CascadeCommand]) by
// the rules for each kind of case:
//   - a case tagged "malformed": compare.mjs --loose-errors, then [CheckPositions];
//   - a case whose recorded run has an error 30000 listing several call results (whose
//     order varies from run to run on the AVM): --loose-errors, then [CheckMessages];
//   - any other case: compare.mjs --strict-cids --strict-data.
//
// timeout is the limit per case.
func (e *Env) CompareAll(ctx context.Context, prefix string, files []string, timeout time.Duration) ([]Divergence, error) {
	var strict, unordered, malformed []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c struct {
			Tags []string `json:"tags"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		o, err := ReadOutcome(ExpectedPath(f))
		if err != nil {
			return nil, err
		}
		switch {
		case slices.Contains(c.Tags, "malformed"):
			malformed = append(malformed, f)
		case o.HasUnorderedMessage():
			unordered = append(unordered, f)
		default:
			strict = append(strict, f)
		}
	}
	divs, err := e.Compare(ctx, prefix, strict, false, timeout)
	if err != nil {
		return nil, err
	}
	for _, group := range []struct {
		files []string
		check func(context.Context, string, []string, time.Duration) []Divergence
	}{{unordered, CheckMessages}, {malformed, CheckPositions}} {
		loose, err := e.Compare(ctx, prefix, group.files, true, timeout)
		if err != nil {
			return nil, err
		}
		divs = append(divs, loose...)
		failed := map[string]bool{}
		for _, d := range loose {
			failed[d.File] = true
		}
		var rest []string
		for _, f := range group.files {
			if !failed[f] {
				rest = append(rest, f)
			}
		}
		divs = append(divs, group.check(ctx, prefix, rest, timeout)...)
	}
	return divs, nil
}
