package parser

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/cascadep2p/cascade/air/ast"
)

// varTable is the validator's table of variable names: for each name, the span of its
// earliest definition (AquaVM's met_variable_definitions) and the first use of it that
// was not defined when it was met (AquaVM's unresolved_scalars).
//
// It is an open-addressing hash table over an array of entries kept in insertion order.
// Unlike a Go map, it hashes a name once to look it up and insert it, and it empties in
// time proportional to its entries, so a table recycled from a large script costs a
// small one nothing. Scripts define thousands of names, each met once or twice.
type varTable struct {
	seed    uint64   // of nameHash, random
	slots   []uint64 // hash>>32<<32 | (entry index + 1); 0 is an empty slot
	entries []varEntry
}

// varEntry is what the table knows of one name.
type varEntry struct {
	name       string
	def        ast.Span // the earliest definition, if defined
	unresolved ast.Span // the first use not defined when met, if isUnres
	slot       uint32   // the entry's slot, to empty it
	defined    bool
	isUnres    bool
}

// minVarSlots is the smallest table; it is always a power of two.
const minVarSlots = 64

// find returns name's entry, or nil and the slot where it would go.
func (t *varTable) find(name string, h uint64) (*varEntry, int) {
	mask := len(t.slots) - 1
	tag := h >> 32
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return nil, i
		}
		if s>>32 == tag {
			if e := &t.entries[uint32(s)-1]; e.name == name {
				return e, i
			}
		}
	}
}

// get returns name's entry, or nil. The pointer is valid until the next entry.
func (t *varTable) get(name string) *varEntry {
	if len(t.entries) == 0 {
		return nil
	}
	e, _ := t.find(name, nameHash(t.seed, name))
	return e
}

// entry returns name's entry, made empty if it is new. The pointer is valid until the
// next entry.
func (t *varTable) entry(name string) *varEntry {
	if 2*(len(t.entries)+1) > len(t.slots) {
		t.grow()
	}
	h := nameHash(t.seed, name)
	e, i := t.find(name, h)
	if e != nil {
		return e
	}
	t.entries = append(t.entries, varEntry{name: name, slot: uint32(i)})
	t.slots[i] = h>>32<<32 | uint64(len(t.entries))
	return &t.entries[len(t.entries)-1]
}

// grow doubles the slots (or makes the first ones) and places every entry again.
func (t *varTable) grow() { t.resize(max(2*len(t.slots), minVarSlots)) }

// resize makes n empty slots (a power of two, more than twice the entries) and places
// every entry again.
func (t *varTable) resize(n int) {
	if len(t.slots) == 0 {
		t.seed = rand.Uint64()
	}
	t.slots = make([]uint64, n)
	for k := range t.entries {
		e := &t.entries[k]
		h := nameHash(t.seed, e.name)
		_, i := t.find(e.name, h)
		t.slots[i] = h>>32<<32 | uint64(k+1)
		e.slot = uint32(i)
	}
}

// reserve makes room for about n names without growing: the entries too, since an
// array grown by doubling leaves as much garbage as it finally holds.
func (t *varTable) reserve(n int) {
	if n > cap(t.entries) {
		t.entries = slices.Grow(t.entries, n-len(t.entries))
	}
	want := minVarSlots
	for want < 2*n {
		want *= 2
	}
	if want > len(t.slots) {
		t.resize(want)
	}
}

// reset empties the table, keeping its memory.
func (t *varTable) reset() {
	for k := range t.entries {
		t.slots[t.entries[k].slot] = 0
	}
	clear(t.entries)
	t.entries = t.entries[:0]
}

// Multipliers of nameHash (wyhash's).
const (
	hashK0 = 0xa0761d6478bd642f
	hashK1 = 0xe7037ed1a0b428db
)

// mum multiplies a and b to 128 bits and folds the halves together.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// nameHash hashes a name under a secret seed, in the manner of wyhash (as Go's runtime
// hashes strings where it has no AES instructions): eight bytes per multiplication, the
// short tails read as overlapping words. It costs a fraction of hash/maphash's calls on
// the short names of scripts; a random seed per table keeps crafted names from
// colliding on purpose.
func nameHash(seed uint64, s string) uint64 {
	b := stringBytes(s)
	n := len(b)
	h := seed ^ hashK0
	var x, y uint64
	switch {
	case n > 16:
		for p := b; len(p) > 16; p = p[16:] {
			h = mum(binary.LittleEndian.Uint64(p)^hashK1, binary.LittleEndian.Uint64(p[8:])^h)
		}
		x, y = binary.LittleEndian.Uint64(b[n-16:]), binary.LittleEndian.Uint64(b[n-8:])
	case n > 8:
		x, y = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:])
	case n >= 4:
		x, y = uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:]))
	case n > 0:
		x = uint64(b[0])<<16 | uint64(b[n>>1])<<8 | uint64(b[n-1])
	}
	return mum(hashK1^uint64(n), mum(x^hashK1, y^h))
}
