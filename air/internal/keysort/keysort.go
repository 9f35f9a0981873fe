// Package keysort puts byte strings that share a long prefix, such as CIDs, in
// ascending byte order faster than comparing the strings themselves.
package keysort

import (
	"slices"
	"strings"
)

// Perm returns the indexes of keys in ascending byte order of the keys (equal keys in
// any order). It sorts one integer per key, six key bytes after the prefix all keys
// share above the key's index, and settles the runs that tie on those bytes by the
// full keys. keys is not modified.
func Perm(keys []string) []int {
	perm := make([]int, len(keys))
	if len(keys) >= 1<<16 {
		for i := range perm {
			perm[i] = i
		}
		slices.SortFunc(perm, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
		return perm
	}
	common := commonPrefix(keys)
	order := make([]uint64, len(keys))
	for i, k := range keys {
		var p uint64
		for j := common; j < common+6; j++ {
			p <<= 8
			if j < len(k) {
				p |= uint64(k[j])
			}
		}
		order[i] = p<<16 | uint64(i)
	}
	slices.Sort(order)
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
		for i < n && k[i] == first[i] {
			i++
		}
		common = i
	}
	return common
}
