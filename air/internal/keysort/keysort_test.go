package keysort

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestStringsMatchesSlicesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "ab7\x00\x80\xff"
	for n := 0; n < 300; n++ {
		var keys []string
		prefix := []string{"", "bagaaihra", "pAAAAAA"}[n%3]
		for range n%40 + 60*(n%2) { // odd n: 60 keys or more, sorted by radix
			b := []byte(prefix)
			for range r.IntN(12) {
				b = append(b, alphabet[r.IntN(len(alphabet))])
			}
			keys = append(keys, string(b))
		}
		if n%7 == 0 && len(keys) > 0 {
			keys = append(keys, keys[0], keys[len(keys)-1])
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		got := slices.Clone(keys)
		Strings(got)
		if !slices.Equal(got, want) {
			t.Fatalf("keys %q: got %q, want %q", keys, got, want)
		}
	}
}

func TestPermIsAPermutation(t *testing.T) {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("bagaaihra%06d", (i*7919)%1000)
	}
	perm := Perm(keys)
	seen := make([]bool, len(keys))
	for j, i := range perm {
		if seen[i] {
			t.Fatalf("index %d twice", i)
		}
		seen[i] = true
		if j > 0 && keys[perm[j-1]] > keys[i] {
			t.Fatalf("not sorted at %d", j)
		}
	}
}

// TestSorterReusesItsBuffers checks that a Sorter gives Perm's results whatever the
// sizes of the calls before.
func TestSorterReusesItsBuffers(t *testing.T) {
	var s Sorter
	for _, n := range []int{300, 5, 1000, 64, 63, 0, 2000, 1} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("bafkreiprefix%07d", (i*7919)%(n+13))
		}
		got := s.Perm(keys)
		want := Perm(keys)
		if len(got) != n {
			t.Fatalf("n=%d: %d indexes", n, len(got))
		}
		for j := range got {
			if keys[got[j]] != keys[want[j]] {
				t.Fatalf("n=%d: position %d holds %q, want %q", n, j, keys[got[j]], keys[want[j]])
			}
		}
	}
}
