package parser

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cascadep2p/cascade/air/ast"
)

// TestVarTableModel runs random definitions and lookups on a varTable and on a Go map,
// across growth and resets, and checks that they agree.
func TestVarTableModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var vt varTable
	for round := range 6 {
		model := map[string]ast.Span{}
		names := 10 + r.IntN(3000) // grows past the first sizes, then shrinks again
		if round%2 == 1 {
			vt.reserve(names)
		}
		for range 4 * names {
			name := fmt.Sprintf("v%d", r.IntN(names))
			if r.IntN(2) == 0 {
				span := ast.Span{Left: ast.Pos(r.IntN(1000)), Right: ast.Pos(1000 + r.IntN(1000))}
				e := vt.entry(name)
				if e.name != name {
					t.Fatalf("entry(%q) returned %q", name, e.name)
				}
				e.def, e.defined = span, true
				model[name] = span
				continue
			}
			e := vt.get(name)
			want, ok := model[name]
			switch {
			case e == nil && ok:
				t.Fatalf("round %d: %q is missing", round, name)
			case e != nil && !ok:
				t.Fatalf("round %d: %q is there but was never defined", round, name)
			case e != nil && e.def != want:
				t.Fatalf("round %d: %q has %v, want %v", round, name, e.def, want)
			}
		}
		if len(vt.entries) != len(model) {
			t.Fatalf("round %d: %d entries, want %d", round, len(vt.entries), len(model))
		}
		if 2*len(vt.entries) > len(vt.slots) {
			t.Fatalf("round %d: %d entries in %d slots", round, len(vt.entries), len(vt.slots))
		}
		vt.reset()
		for _, s := range vt.slots {
			if s != 0 {
				t.Fatalf("round %d: a slot is still in use after reset", round)
			}
		}
		if vt.get("v0") != nil || len(vt.entries) != 0 {
			t.Fatalf("round %d: reset left entries", round)
		}
	}
}

// TestNameHashEveryByte checks that nameHash depends on every byte of names of every
// length up to 40 and on the length itself: changing one byte, or appending a zero byte,
// changes the hash.
func TestNameHashEveryByte(t *testing.T) {
	const seed = 0x1234_5678_9abc_def0
	for n := range 41 {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		h := nameHash(seed, string(b))
		if nameHash(seed, string(append(b, 0))) == h {
			t.Fatalf("length %d: appending a zero byte keeps the hash", n)
		}
		for i := range n {
			c := append([]byte(nil), b...)
			c[i] ^= 0x01
			if nameHash(seed, string(c)) == h {
				t.Fatalf("length %d: byte %d does not change the hash", n, i)
			}
		}
	}
	if nameHash(seed, "abc") == nameHash(seed+1, "abc") {
		t.Fatal("the seed does not change the hash")
	}
}
