// Package keysort puts byte strings that share a long prefix, such as CIDs, in
// ascending byte order faster than comparing the strings themselves.
package keysort

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"unsafe"
)

// Perm returns the indexes of keys in ascending byte order of the keys (equal keys in
// any order). It sorts one integer per key, six key bytes after the prefix all keys
// share above the key's index, and settles the runs that tie on those bytes by the
// full keys. keys is not modified.
func Perm(keys []string) []int {
	var s Sorter
	return s.Perm(keys)
}

// Sorter computes Perm with buffers it keeps from one call to the next; the zero Sorter
// is ready to use.
type Sorter struct {
	perm       []int
	order, tmp []uint64
}

// Perm is the package's Perm. The result is valid until the next call.
func (s *Sorter) Perm(keys []string) []int {
	s.perm = grow(s.perm, len(keys))
	perm := s.perm
	if len(keys) >= 1<<16 {
		for i := range perm {
			perm[i] = i
		}
		slices.SortFunc(perm, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		return perm
	}
	common := commonPrefix(keys)
	s.order = grow(s.order, len(keys))
	order := s.order
	for i, k := range keys {
		var p uint64
		if len(k) >= common+8 {
			p = bits.ReverseBytes64(word(k, common)) >> 16
		} else {
			for j := common; j < common+6; j++ {
				p <<= 8
				if j < len(k) {
					p |= uint64(k[j])
				}
			}
		}
		order[i] = p<<16 | uint64(i)
	}
	if len(order) >= 64 {
		s.tmp = grow(s.tmp, len(order))
		order = radixSort(order, s.tmp)
	} else {
		slices.Sort(order)
	}
	for j, o := range order {
		perm[j] = int(o & 0xffff)
	}
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && order[j]>>16 == order[i]>>16 {
			j++
		}
		if j-i > 1 && !allEqual(keys, perm[i:j]) {
			slices.SortFunc(perm[i:j], func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		}
		i = j
	}
	return perm
}

// grow returns b resliced to n elements, reallocated if it is too short.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// radixSort sorts a by its upper 48 bits (six key bytes) and returns it or tmp (scratch
// of a's length), whichever holds the result: a least-significant-byte-first radix
// sort, stable, so entries that tie on those bits keep their index order. One pass
// counts all six bytes; a byte that is the same in every entry costs no scatter pass.
func radixSort(a, tmp []uint64) []uint64 {
	var counts [6][256]int32
	c0, c1, c2, c3, c4, c5 := &counts[0], &counts[1], &counts[2], &counts[3], &counts[4], &counts[5]
	for _, v := range a {
		c0[byte(v>>16)]++
		c1[byte(v>>24)]++
		c2[byte(v>>32)]++
		c3[byte(v>>40)]++
		c4[byte(v>>48)]++
		c5[byte(v>>56)]++
	}
	for d := range 6 {
		c := &counts[d]
		if c[byte(a[0]>>(16+8*d))] == int32(len(a)) {
			continue
		}
		var sum int32
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		shift := 16 + 8*d
		for _, v := range a {
			b := byte(v >> shift)
			tmp[c[b]] = v
			c[b]++
		}
		a, tmp = tmp, a
	}
	return a
}

// Strings sorts ss in ascending byte order.
func Strings(ss []string) {
	if len(ss) < 2 || slices.IsSorted(ss) {
		return
	}
	perm := Perm(ss)
	sorted := make([]string, len(ss))
	for j, i := range perm {
		sorted[j] = ss[i]
	}
	copy(ss, sorted)
}

// allEqual reports whether the keys at the indexes idx are all the same (repeated CIDs,
// as in a peer's list of the results it produced, need no sorting among themselves).
func allEqual(keys []string, idx []int) bool {
	first := keys[idx[0]]
	for _, i := range idx[1:] {
		if keys[i] != first {
			return false
		}
	}
	return true
}

// word returns the eight bytes of s at i (i+8 <= len(s)) as a little-endian integer.
func word(s string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
}

// commonPrefix returns the length of the prefix all keys share.
func commonPrefix(keys []string) int {
	if len(keys) == 0 {
		return 0
	}
	first := keys[0]
	common := len(first)
	for _, k := range keys[1:] {
		n := min(common, len(k))
		i := 0
		for i+8 <= n && word(k, i) == word(first, i) {
			i += 8
		}
		for i < n && k[i] == first[i] {
			i++
		}
		common = i
	}
	return common
}
