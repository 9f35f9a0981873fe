// Package value is AquaVM's JSON value type (JValue): a JSON tree whose numbers keep
// serde_json's integer/float distinction and whose objects keep their keys sorted by
// UTF-8 bytes, with a parser and a compact serializer that reproduce serde_json
// byte for byte.
//
// A Value is one of nil, bool, Number, string, []Value or *Object. Values are
// treated as immutable once built: AquaVM shares them freely, and so does this
// package (Parse, FromGo and the Object methods never copy a nested value).
package value

import (
	"math"
	"sort"
	"strconv"

	"github.com/cascadep2p/cascade/air/internal/slab"
)

// Value is a JSON value: nil, bool, Number, string, []Value or *Object.
type Value = any

type numKind uint8

const (
	posInt numKind = iota // non-negative integer held as uint64
	negInt                // negative integer held as int64
	float                 // IEEE double
)

// Number is a JSON number as serde_json keeps it: a non-negative integer (u64), a
// negative integer (i64) or a float (f64). The zero Number is the integer 0.
//
// Compare Numbers with Equal, not ==: like serde_json, 0.0 equals -0.0.
type Number struct {
	kind numKind
	bits uint64
}

// Int returns the integer i; non-negative values are stored as unsigned, as serde_json does.
func Int(i int64) Number {
	if i < 0 {
		return Number{kind: negInt, bits: uint64(i)}
	}
	return Number{kind: posInt, bits: uint64(i)}
}

// Uint returns the non-negative integer u.
func Uint(u uint64) Number {
	return Number{kind: posInt, bits: u}
}

// Float returns the float f. JSON has no NaN or infinity; such a Number serializes
// as null, like serde_json's f64 serializer does.
func Float(f float64) Number {
	return Number{kind: float, bits: math.Float64bits(f)}
}

// IsInteger reports whether n is an integer (u64 or i64), not a float.
func (n Number) IsInteger() bool { return n.kind != float }

// IsFloat reports whether n is a float.
func (n Number) IsFloat() bool { return n.kind == float }

// Int64 returns n as an int64 when n is an integer within the int64 range.
func (n Number) Int64() (int64, bool) {
	switch n.kind {
	case posInt:
		if n.bits <= math.MaxInt64 {
			return int64(n.bits), true
		}
	case negInt:
		return int64(n.bits), true
	}
	return 0, false
}

// Uint64 returns n as a uint64 when n is a non-negative integer.
func (n Number) Uint64() (uint64, bool) {
	if n.kind == posInt {
		return n.bits, true
	}
	return 0, false
}

// Float64 returns n converted to float64 (integers are rounded to the nearest double).
func (n Number) Float64() float64 {
	switch n.kind {
	case posInt:
		return float64(n.bits)
	case negInt:
		return float64(int64(n.bits))
	}
	return math.Float64frombits(n.bits)
}

// Equal reports whether n and m are equal the way serde_json compares numbers: same
// variant and same value, so the integer 1 differs from the float 1.0.
func (n Number) Equal(m Number) bool {
	if n.kind != m.kind {
		return false
	}
	if n.kind == float {
		return math.Float64frombits(n.bits) == math.Float64frombits(m.bits)
	}
	return n.bits == m.bits
}

// String returns n as serde_json prints it (integers in decimal, floats in ryu's
// shortest form such as 1.0, 1e16 or 1e-7).
func (n Number) String() string {
	var buf [32]byte
	return string(n.appendJSON(buf[:0]))
}

func (n Number) appendJSON(dst []byte) []byte {
	switch n.kind {
	case posInt:
		return strconv.AppendUint(dst, n.bits, 10)
	case negInt:
		return strconv.AppendInt(dst, int64(n.bits), 10)
	}
	return appendFloat(dst, math.Float64frombits(n.bits))
}

// Object is a JSON object whose keys are kept sorted by their UTF-8 bytes, like the
// BTreeMap AquaVM uses. The zero Object is empty and ready to use.
type Object struct {
	keys []string
	vals []Value
}

// NewObject returns an empty object with room for capacity entries.
func NewObject(capacity int) *Object {
	return &Object{keys: make([]string, 0, capacity), vals: make([]Value, 0, capacity)}
}

// object2 is a two-entry object with its values in the same allocation.
type object2 struct {
	o    Object
	vals [2]Value
}

func (p *object2) init(keys []string, v0, v1 Value) *Object {
	p.vals = [2]Value{v0, v1}
	p.o.keys = keys[:2:2]
	p.o.vals = p.vals[:]
	return &p.o
}

// Object2Slab makes two-entry objects from shared chunks, for callers that make many.
// The zero Object2Slab is ready to use.
type Object2Slab struct{ s slab.Slab[object2] }

// New returns the object {keys[0]: v0, keys[1]: v1}, its values in the slab; keys must
// be two sorted, distinct keys and may be shared between objects.
func (s *Object2Slab) New(keys []string, v0, v1 Value) *Object {
	return s.s.New().init(keys, v0, v1)
}

func (o *Object) find(key string) (int, bool) {
	// Hand-rolled binary search: sort.Search with a closure is measurably slower.
	lo, hi := 0, len(o.keys)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if o.keys[h] < key {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo, lo < len(o.keys) && o.keys[lo] == key
}

// Get returns the value stored under key.
func (o *Object) Get(key string) (Value, bool) {
	if o == nil {
		return nil, false
	}
	i, ok := o.find(key)
	if !ok {
		return nil, false
	}
	return o.vals[i], true
}

// Set stores v under key, replacing the value already there.
func (o *Object) Set(key string, v Value) {
	n := len(o.keys)
	if n == 0 || o.keys[n-1] < key { // appending in order is the common case
		o.keys = append(o.keys, key)
		o.vals = append(o.vals, v)
		return
	}
	i, ok := o.find(key)
	if ok {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, "")
	o.vals = append(o.vals, nil)
	copy(o.keys[i+1:], o.keys[i:])
	copy(o.vals[i+1:], o.vals[i:])
	o.keys[i] = key
	o.vals[i] = v
}

// Len returns the number of entries.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Keys returns a copy of the keys in ascending byte order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return append([]string(nil), o.keys...)
}

// Range calls f for each entry in ascending key order until f returns false.
func (o *Object) Range(f func(key string, v Value) bool) {
	if o == nil {
		return
	}
	for i, k := range o.keys {
		if !f(k, o.vals[i]) {
			return
		}
	}
}

// fromPairs builds an object from keys and values in input order: the last of
// duplicated keys wins, as when serde_json fills a BTreeMap.
// sortedUnique reports whether keys are in strictly ascending order.
func sortedUnique(keys []string) bool {
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			return false
		}
	}
	return true
}

// newSmallObject copies up to 4 sorted, distinct entries into an object made with a
// single allocation: most objects in interpreter data are that small.
func newSmallObject(keys []string, vals []Value) *Object {
	p := &struct {
		o Object
		k [4]string
		v [4]Value
	}{}
	n := copy(p.k[:], keys)
	copy(p.v[:], vals)
	p.o.keys, p.o.vals = p.k[:n:n], p.v[:n:n]
	return &p.o
}

func fromPairs(keys []string, vals []Value) *Object {
	if sortedUnique(keys) {
		return &Object{keys: keys, vals: vals}
	}
	idx := make([]int, len(keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	o := &Object{keys: make([]string, 0, len(keys)), vals: make([]Value, 0, len(keys))}
	for j, i := range idx {
		if j+1 < len(idx) && keys[idx[j+1]] == keys[i] {
			continue // a later duplicate follows; keep only the last one
		}
		o.keys = append(o.keys, keys[i])
		o.vals = append(o.vals, vals[i])
	}
	return o
}
