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
