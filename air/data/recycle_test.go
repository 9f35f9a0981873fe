package data

import (
	"reflect"
	"testing"
)

// TestRecycledTracesAreEmptyAndZero checks that NewTrace hands out recycled memory only
// cleared and only when it is large enough.
func TestRecycledTracesAreEmptyAndZero(t *testing.T) {
	for round := 0; round < 4; round++ {
		tr := NewTrace(100 * (round + 1))
		if len(tr) != 0 || cap(tr) < 100*(round+1) {
			t.Fatalf("round %d: len %d cap %d", round, len(tr), cap(tr))
		}
		for _, st := range tr[:cap(tr)] {
			if !reflect.DeepEqual(st, State{}) {
				t.Fatalf("round %d: a recycled state is not zero: %+v", round, st)
			}
		}
		for i := 0; i < cap(tr); i++ {
			tr = append(tr, State{Kind: StateFold, Lore: []FoldLore{{ValuePos: uint32(i)}}, Gens: []uint32{1}})
		}
		RecycleTrace(tr)
	}
	RecycleTrace(nil)
	if tr := NewTrace(maxRecycledStates + 1); cap(tr) < maxRecycledStates+1 {
		t.Fatalf("NewTrace(%d): cap %d", maxRecycledStates+1, cap(tr))
	}
}
