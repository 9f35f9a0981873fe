package difftest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cascadep2p/cascade/air/gen"
)

// maxCandidates bounds the variants of a script tried in one round of [Env.Reduce].
const maxCandidates = 120

// Reduce shrinks the diverging case file by greedy rounds: each round generates smaller
// variants of the script ([gen.Shrink]), records them all with the oracle at once, drops
// those the AVM does not parse (unless the case is malformed), compares the rest with the
// shell command prefix, and keeps the shortest variant that still diverges in the same
// place (its [DiffKind] is kind; any place if kind is ""). It stops when
// no variant diverges or after budget, writes the smallest diverging case recorded into
// dir as NAME-min.json (with its .expected.json), and returns its path, or "" if no
// smaller diverging variant was found.
func (e *Env) Reduce(ctx context.Context, prefix, file, kind, dir string, budget time.Duration) (string, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	var c gen.Case
	if err := json.Unmarshal(text, &c); err != nil {
		return "", err
	}
	loose := c.IsMalformed()
	work, err := os.MkdirTemp("", "difftest-reduce-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	deadline := time.Now().Add(budget)
	best := ""
	cur := c.Script
	for round := 0; time.Now().Before(deadline); round++ {
		cands := gen.Shrink(cur)
		if len(cands) > maxCandidates {
			cands = cands[:maxCandidates]
		}
		if len(cands) == 0 {
			break
		}
		rdir := filepath.Join(work, fmt.Sprint(round))
		if err := os.MkdirAll(rdir, 0o755); err != nil {
			return "", err
		}
		var files []string
		scripts := map[string]string{}
		for i, s := range cands {
			cc := c
			cc.Name = fmt.Sprintf("%s-r%04d", c.Name, i)
			cc.Script = s
			p, err := cc.WriteFile(rdir)
			if err != nil {
				return "", err
			}
			files = append(files, p)
			scripts[p] = s
		}
		if _, err := e.Record(ctx, files, 5*time.Minute); err != nil {
			return "", err
		}
		var kept []string
		for _, f := range files {
			o, err := ReadOutcome(ExpectedPath(f))
			if err != nil || len(o.Invocations) == 0 {
				continue // the oracle failed on it
			}
			if !loose && o.Invocations[0].RetCode == 1 {
				continue // no longer a valid program
			}
			kept = append(kept, f)
		}
		divs, err := e.CompareAll(ctx, prefix, kept, 20*time.Second)
		if err != nil {
			return "", err
		}
		if kind != "" {
			same := divs[:0]
			for _, d := range divs {
				if DiffKind(d.Diff) == kind {
					same = append(same, d)
				}
			}
			divs = same
		}
		if len(divs) == 0 {
			break
		}
		// take the shortest variant that diverges
		pick := divs[0].File
		for _, d := range divs {
			if len(scripts[d.File]) < len(scripts[pick]) {
				pick = d.File
			}
		}
		cur, best = scripts[pick], pick
	}
	if best == "" {
		return "", nil
	}
	c.Name += "-min"
	c.Script = cur
	c.Description += "; reduced by difftest from " + filepath.Base(file)
	out, err := c.WriteFile(dir)
	if err != nil {
		return "", err
	}
	exp, err := os.ReadFile(ExpectedPath(best))
	if err != nil {
		return "", err
	}
	return out, os.WriteFile(ExpectedPath(out), exp, 0o644)
}

var (
	diffPath  = regexp.MustCompile(`^\$((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])+)`)
	diffIndex = regexp.MustCompile(`\[\d+\]`)
)

// DiffKind names where a divergence is: the first two fields of compare.mjs's path
// without indexes ("invocations.error_message", "invocations.trace", "final_data.a"), or
// the text before the first colon for other failures ("error position", "timed out after
// 20s").
func DiffKind(diff string) string {
	if m := diffPath.FindStringSubmatch(diff); m != nil {
		fields := strings.Split(strings.TrimPrefix(diffIndex.ReplaceAllString(m[1], ""), "."), ".")
		if len(fields) > 2 {
			fields = fields[:2]
		}
		return strings.Join(fields, ".")
	}
	if i := strings.IndexByte(diff, ':'); i > 0 {
		return diff[:i]
	}
	return diff
}
