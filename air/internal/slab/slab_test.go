package slab

import "testing"

func TestNewGivesDistinctZeroValues(t *testing.T) {
	var s Slab[[2]int]
	seen := map[*[2]int]bool{}
	for i := 0; i < 2000; i++ {
		p := s.New()
		if *p != [2]int{} {
			t.Fatalf("value %d is not zero: %v", i, *p)
		}
		if seen[p] {
			t.Fatalf("value %d handed out twice", i)
		}
		seen[p] = true
		p[0], p[1] = i, -i
	}
}

func TestResetReusesZeroedChunks(t *testing.T) {
	var s Slab[[2]int]
	first := map[*[2]int]bool{}
	for round := 0; round < 3; round++ {
		for i := 0; i < 1500; i++ {
			p := s.New()
			if *p != [2]int{} {
				t.Fatalf("round %d: value %d is not zero: %v", round, i, *p)
			}
			if round == 0 {
				first[p] = true
			} else if !first[p] {
				t.Fatalf("round %d: value %d comes from a new chunk", round, i)
			}
			p[0], p[1] = i, -i
		}
		if s.Len() != 1500 {
			t.Fatalf("round %d: Len %d", round, s.Len())
		}
		s.Reset()
	}
}

func TestSliceIsZeroContiguousAndCapped(t *testing.T) {
	var s Slab[int]
	for round := 0; round < 2; round++ {
		var all [][]int
		for _, n := range []int{1, 7, 3, 600, 2, 1000, 5} {
			x := s.Slice(n)
			if len(x) != n || cap(x) != n {
				t.Fatalf("Slice(%d): len %d cap %d", n, len(x), cap(x))
			}
			for i := range x {
				if x[i] != 0 {
					t.Fatalf("round %d: Slice(%d)[%d] = %d", round, n, i, x[i])
				}
				x[i] = n
			}
			all = append(all, x)
			_ = s.New()
		}
		for _, x := range all {
			for _, v := range x {
				if v != len(x) {
					t.Fatalf("round %d: a later allocation overwrote a slice of %d", round, len(x))
				}
			}
		}
		s.Reset()
	}
}
