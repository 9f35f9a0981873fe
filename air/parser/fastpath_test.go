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
