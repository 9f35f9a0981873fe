package main

import (
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// budget bounds a warm-up and a measurement: counts and time, as avm.mjs does on the AVM side.
type budget struct {
	warmMin, warmMax int
	warm             time.Duration
	minReps, maxReps int
	measure          time.Duration
}

var (
	quickBudget = budget{warmMin: 1, warmMax: 200, warm: 100 * time.Millisecond, minReps: 5, maxReps: 400, measure: 150 * time.Millisecond}
	fullBudget  = budget{warmMin: 2, warmMax: 300, warm: 2 * time.Second, minReps: 10, maxReps: 1000, measure: 3 * time.Second}
	// codec runs: cheaper, there are two per scenario
	quickCodecBudget = budget{warmMin: 1, warmMax: 50, warm: 50 * time.Millisecond, minReps: 5, maxReps: 200, measure: 100 * time.Millisecond}
	fullCodecBudget  = budget{warmMin: 2, warmMax: 100, warm: 500 * time.Millisecond, minReps: 10, maxReps: 500, measure: time.Second}
)

// forInput shrinks a budget for huge inputs, where one call takes up to seconds.
func (b budget) forInput(bytes int) budget {
	if bytes < 50e6 {
		return b
	}
	b.warmMin, b.warmMax, b.minReps, b.maxReps = 1, 1, 3, 3
	return b
}

// rounds is the number of rounds the direct AVM, Cascade and the oracle are timed in,
// taking turns, so that a slow phase of the machine lands on both sides alike: the
// shorter the rounds, the more evenly a phase of a few seconds falls on both. (Huge
// inputs get one warm-up call and one timed call per round.)
const rounds = 5

// round returns the share of b for round k of n (from 1), as avm.mjs computes it: 1/n of
// the measurement, and for the rounds after the first a short warm-up.
func (b budget) round(k, n int) budget {
	if n <= 1 {
		return b
	}
	ceil := func(x int) int { return (x + n - 1) / n }
	b.minReps, b.maxReps, b.measure = ceil(b.minReps), ceil(b.maxReps), b.measure/time.Duration(n)
	if k > 1 {
		b.warmMin, b.warmMax, b.warm = min(b.warmMin, 1), (b.warmMax+9)/10, b.warm/10
	}
	return b
}

// medianOf returns the median of xs (the mean of the two middle ones for an even count).
func medianOf[T float64 | time.Duration](xs []T) T {
	s := append([]T(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// combineTimings merges the timings of the rounds of a scenario: the median of their
// medians, the smallest minimum, the repetitions and warm-up calls added up.
func combineTimings(ts []timing) timing {
	var c timing
	meds := make([]time.Duration, len(ts))
	for i, t := range ts {
		meds[i] = t.Median
		if i == 0 || t.Min < c.Min {
			c.Min = t.Min
		}
		c.Reps += t.Reps
		c.Warm += t.Warm
	}
	if len(ts) > 0 {
		c.Median = medianOf(meds)
	}
	c.Rounds = meds
	return c
}

// combineDirect merges the direct runner's rounds of a scenario as combineTimings does;
// the outcome is the first round's, the memory the largest.
func combineDirect(ds []avmDirect) avmDirect {
	if len(ds) == 0 {
		return avmDirect{}
	}
	c := ds[0]
	meds := make([]float64, len(ds))
	c.Reps, c.Warm = 0, 0
	for i, d := range ds {
		meds[i] = d.MedianMs
		c.MinMs = min(c.MinMs, d.MinMs)
		c.MemBytes = max(c.MemBytes, d.MemBytes)
		c.Reps += d.Reps
		c.Warm += d.Warm
	}
	c.MedianMs, c.RoundsMs = medianOf(meds), meds
	return c
}

// combineOracle merges the oracle's rounds of a scenario: nil if it was not run, the first
// trap if it trapped, else as combineTimings does.
func combineOracle(os []*avmOracle) *avmOracle {
	if len(os) == 0 || os[0] == nil {
		return nil
	}
	c := *os[0]
	meds := make([]float64, 0, len(os))
	c.Reps = 0
	for _, o := range os {
		if o == nil {
			return nil
		}
		if o.Trap != "" {
			return o
		}
		meds = append(meds, o.MedianMs)
		c.MinMs = min(c.MinMs, o.MinMs)
		c.Reps += o.Reps
	}
	c.MedianMs, c.RoundsMs = medianOf(meds), meds
	return &c
}

// roundList formats round medians in milliseconds, for the progress lines.
func roundList(ds []time.Duration) string {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = ms(d)
	}
	return roundListMs(xs)
}

// roundListMs formats round medians given in milliseconds.
func roundListMs(ms []float64) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = strconv.FormatFloat(m, 'f', 3, 64)
	}
	return strings.Join(parts, " ")
}

// pairedSpeedup returns the median of the rounds' speed-ups: round k's AVM median over
// Cascade's median of the same round k, timed next to it. A phase of the machine that
// slows both sides in one round cancels out of that round's ratio, where it would not
// between medians taken from different rounds. Without a round-by-round pairing (a side
// with no or a different number of rounds), it returns whole, the ratio of the medians.
func pairedSpeedup(avmMs []float64, cascade []time.Duration, whole float64) float64 {
	if len(avmMs) == 0 || len(avmMs) != len(cascade) {
		return whole
	}
	xs := make([]float64, len(avmMs))
	for k, a := range avmMs {
		if cascade[k] <= 0 {
			return whole
		}
		xs[k] = a / ms(cascade[k])
	}
	return medianOf(xs)
}

// timing is the result of a timed loop.
type timing struct {
	Median time.Duration `json:"median_ns"`
	Min    time.Duration `json:"min_ns"`
	Reps   int           `json:"reps"`
	Warm   int           `json:"warm"`
	// Rounds holds the median of each round (set by combineTimings).
	Rounds []time.Duration `json:"round_medians_ns,omitempty"`
}

// timeIt warms fn up, then times single calls and returns their median.
func timeIt(fn func(), b budget) timing {
	warm := 0
	t0 := time.Now()
	for warm < b.warmMin || (warm < b.warmMax && time.Since(t0) < b.warm) {
		fn()
		warm++
	}
	var ts []time.Duration
	t1 := time.Now()
	for len(ts) < b.minReps || (len(ts) < b.maxReps && time.Since(t1) < b.measure) {
		a := time.Now()
		fn()
		ts = append(ts, time.Since(a))
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	n := len(ts)
	med := ts[n/2]
	if n%2 == 0 {
		med = (ts[n/2-1] + ts[n/2]) / 2
	}
	return timing{Median: med, Min: ts[0], Reps: n, Warm: warm}
}

// liveHeap collects garbage and returns the bytes of live heap objects.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// peakHeap runs fn once and returns the Go heap's high-water mark during the call: the
// largest of the heap-object bytes sampled every 100µs by another goroutine (runtime/metrics,
// no stop-the-world) and of the heap at the end (before any collection of its garbage).
// The heap is collected first, so the mark is the live heap before the call plus whatever
// the call allocated and the collector had not reclaimed yet: what the process holds.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		local := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(local)
			if v := local[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-stop:
				mu.Lock()
				peak = max
				mu.Unlock()
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	close(stop)
	<-done
	mu.Lock()
	defer mu.Unlock()
	if ms.HeapAlloc > peak {
		peak = ms.HeapAlloc
	}
	return peak
}

// allocsPerCall runs fn n times and returns the mean count and bytes of heap allocations.
func allocsPerCall(fn func(), n int) (allocs, bytes float64) {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	for i := 0; i < n; i++ {
		fn()
	}
	runtime.ReadMemStats(&b)
	return float64(b.Mallocs-a.Mallocs) / float64(n), float64(b.TotalAlloc-a.TotalAlloc) / float64(n)
}
