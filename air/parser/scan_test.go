package parser

import (
	"math/rand/v2"
	"testing"

	"github.com/cascadep2p/cascade/air/ast"
)

// nameEndSlow is the byte-at-a-time definition nameEnd must agree with.
func nameEndSlow(src string, i int) int {
	for i < len(src) && charClass[src[i]]&ccSimple != 0 {
		i++
	}
	return i
}

// TestNameEndEveryByte puts every byte value at every position of a run of name
// characters and checks that the eight-byte test stops exactly where the table does.
func TestNameEndEveryByte(t *testing.T) {
	base := []byte("aZ09_-xYqQ7mM_-zAbCdEfGh")
	for c := range 256 {
		for at := range len(base) {
			b := append([]byte(nil), base...)
			b[at] = byte(c)
			for from := range 3 {
				if got, want := nameEnd(b, from), nameEndSlow(string(b), from); got != want {
					t.Fatalf("byte %#x at %d from %d: nameEnd=%d, want %d", c, at, from, got, want)
				}
			}
		}
	}
}

// TestNameEndRandom compares the two on random strings biased towards name characters,
// non-ASCII bytes included.
func TestNameEndRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const names = "abcxyzABCXYZ0189_-"
	for range 50000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(12) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = names[r.IntN(len(names))]
			}
		}
		from := r.IntN(len(b) + 1)
		if got, want := nameEnd(b, from), nameEndSlow(string(b), from); got != want {
			t.Fatalf("%q from %d: nameEnd=%d, want %d", b, from, got, want)
		}
	}
}

// TestKeywordMatchesWord checks that keyword, which reads an instruction keyword as one
// 64-bit word, returns what word returns and stops at the same place, for keywords,
// near-keywords and other words, with every kind of terminator, at the end of the
// script too.
func TestKeywordMatchesWord(t *testing.T) {
	words := []string{"call", "canon", "ap", "seq", "par", "xor", "new", "null", "never",
		"fold", "fail", "next", "match", "mismatch", "true", "false",
		"se", "seqq", "sEq", "Seq", "nul", "nulll", "mismatc", "mismatchh", "matchx",
		"ap-", "ap_", "ap1", "call.$", "a", "x", "abcdefgh", "abcdefghi", "1", "-1",
		"\"seq\"", "%ttl%", ":error:", "$s", "#c", "é", "seqé", "", "(", ")"}
	ends := []string{"", " ", ")", "]", "\t", "\n", "(", "[", ";c\n", ".$", "é", "!"}
	pads := []string{"", "x", "(null))))))))", "        )"}
	for _, w := range words {
		for _, e := range ends {
			for _, p := range pads {
				src := w + e + p
				d := newAirDriver(src)
				fk := fastParser{d: d, src: src}
				fk.moveTo(0)
				fw := fk
				gotK := fk.keyword()
				wantW := fw.word(new(ast.Value))
				if gotK != wantW || fk.pos != fw.pos {
					t.Errorf("%q: keyword=%d at %d, word=%d at %d", src, gotK, fk.pos, wantW, fw.pos)
				}
			}
		}
	}
}
