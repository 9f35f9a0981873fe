package parser

import (
	"reflect"
	"testing"
)

// checkFastMatchesLR parses s with both parsers and requires identical results.
func checkFastMatchesLR(t *testing.T, s string) (fast bool) {
	t.Helper()
	want, syntaxOK, wantErr := parseLR(s)
	got, fastOK, gotErr := parseFast(s)
	if fastOK != syntaxOK {
		t.Fatalf("script %q: LR finds a syntax error: %v, fast path finds one: %v", s, !syntaxOK, !fastOK)
	}
	if !fastOK {
		return false
	}
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("script %q: LR error %v, fast path error %v", s, wantErr, gotErr)
	}
	if wantErr != nil {
		if wantErr.Error() != gotErr.Error() {
			t.Fatalf("script %q:\nLR:   %q\nfast: %q", s, wantErr, gotErr)
		}
		return true
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("script %q: trees differ", s)
	}
	return true
}

// TestFastPathMatchesLR checks that the recursive-descent fast path and the LR parser
// agree on every corpus script and on damaged copies of them.
func TestFastPathMatchesLR(t *testing.T) {
	scripts := corpusScripts(t)
	scripts = append(scripts, handwrittenScripts...)
	scripts = append(scripts, mutations(t, 5000, 7)...)
	fast := 0
	for _, s := range scripts {
		if checkFastMatchesLR(t, s) {
			fast++
		}
	}
	t.Logf("%d scripts, %d without syntax errors", len(scripts), fast)
}

// TestParseTreeRecycles checks that trees parsed into recycled memory equal fresh ones,
// whatever was parsed into that memory before.
func TestParseTreeRecycles(t *testing.T) {
	scripts := append(corpusScripts(t), handwrittenScripts...)
	scripts = append(scripts, benchScript(300), benchScript(2000))
	for round := 0; round < 2; round++ {
		for i := range scripts {
			s := scripts[(i*7+round)%len(scripts)]
			want, wantErr := Parse(s)
			tree, err := ParseTree(s)
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("script %q: ParseTree error %v, Parse error %v", s, err, wantErr)
			}
			if err != nil {
				continue
			}
			if !reflect.DeepEqual(tree.Root, want) {
				t.Fatalf("script %q: the recycled tree differs", s)
			}
			tree.Release()
			tree.Release() // a second call does nothing
		}
	}
}
