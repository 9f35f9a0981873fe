package main

import (
	"math"
	"testing"
	"time"
)

func TestMedianOf(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		in := append([]float64(nil), tc.in...)
		if got := medianOf(tc.in); got != tc.want {
			t.Errorf("medianOf(%v) = %v, want %v", in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Fatalf("medianOf changed its input: %v, was %v", tc.in, in)
			}
		}
	}
}

func TestPairedSpeedup(t *testing.T) {
	ms := func(xs ...float64) []time.Duration {
		ds := make([]time.Duration, len(xs))
		for i, x := range xs {
			ds[i] = time.Duration(x * 1e6)
		}
		return ds
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-5 }

	// Slow phases in rounds 1 and 3 hit both sides: every round's ratio is 3, while the
	// medians (AVM 9, Cascade 4.5) would give 2.
	avm := []float64{14, 8, 14, 8, 9}
	cas := ms(14.0/3, 8.0/3, 4.5, 8.0/3, 3)
	if got := pairedSpeedup(avm, cas, -1); !near(got, 3) {
		t.Errorf("common slow phases: %v, want 3", got)
	}
	// The median of the round ratios: one bad round does not decide.
	if got := pairedSpeedup([]float64{10, 10, 10}, ms(5, 2, 1), -1); !near(got, 5) {
		t.Errorf("ratios 2, 5, 10: %v, want 5", got)
	}
	// No pairing: the whole-run ratio is returned.
	for _, tc := range []struct {
		avm []float64
		cas []time.Duration
	}{
		{nil, ms(1)},
		{[]float64{1, 2}, ms(1)},
		{[]float64{1}, ms(0)},
	} {
		if got := pairedSpeedup(tc.avm, tc.cas, 7); got != 7 {
			t.Errorf("pairedSpeedup(%v, %v, 7) = %v, want the fallback 7", tc.avm, tc.cas, got)
		}
	}
}
