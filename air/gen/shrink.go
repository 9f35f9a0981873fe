package gen

import (
	"sort"
	"strings"
)

// instrKeywords are the words that open an instruction.
var instrKeywords = map[string]bool{"call": true, "canon": true, "ap": true, "seq": true, "par": true, "xor": true,
	"never": true, "null": true, "new": true, "fail": true, "fold": true, "next": true, "match": true, "mismatch": true}

// span is an instruction in a script: [start, end) and its child instructions.
type span struct {
	start, end int
	keyword    string
	kids       []*span
}

// instructions returns the top-level instructions of script with their children, or nil
// if the script's parentheses do not nest.
func instructions(script string) []*span {
	toks := lex(script)
	var roots []*span
	var stack []*span // nil entries: parentheses that open no instruction
	for i, t := range toks {
		switch t.kind {
		case '(':
			var s *span
			if i+1 < len(toks) && toks[i+1].kind == 'w' && instrKeywords[script[toks[i+1].start:toks[i+1].end]] {
				s = &span{start: t.start, keyword: script[toks[i+1].start:toks[i+1].end]}
				parent := (*span)(nil)
				for j := len(stack) - 1; j >= 0; j-- {
					if stack[j] != nil {
						parent = stack[j]
						break
					}
				}
				if parent == nil {
					roots = append(roots, s)
				} else {
					parent.kids = append(parent.kids, s)
				}
			}
			stack = append(stack, s)
		case ')':
			if len(stack) == 0 {
				return nil
			}
			if s := stack[len(stack)-1]; s != nil {
				s.end = t.end
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		return nil
	}
	return roots
}

// Shrink returns smaller variants of script, shortest first, for reducing a failing case:
// each replaces one instruction by (null), or a seq, par, xor, new, match or mismatch by
// one of its child instructions. Some variants are not valid programs (a variable used
// but no longer defined); the caller runs them and keeps those that still fail the same
// way.
func Shrink(script string) []string {
	seen := map[string]bool{script: true}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var walk func(s *span)
	walk = func(s *span) {
		if s.keyword != "null" {
			add(script[:s.start] + "(null)" + script[s.end:])
		}
		switch s.keyword {
		case "seq", "par", "xor", "new", "match", "mismatch":
			for _, k := range s.kids {
				add(script[:s.start] + script[k.start:k.end] + script[s.end:])
			}
		}
		for _, k := range s.kids {
			walk(k)
		}
	}
	for _, r := range instructions(script) {
		walk(r)
	}
	// comments go too
	var b strings.Builder
	last := 0
	for _, t := range lex(script) {
		if t.kind == ';' {
			b.WriteString(strings.TrimRight(script[last:t.start], " \t"))
			last = t.end
		}
	}
	b.WriteString(script[last:])
	add(b.String())
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) < len(out[j]) })
	return out
}
