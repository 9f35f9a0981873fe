package main

import (
	"runtime"
	"runtime/metrics"
	"sort"
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

// timing is the result of a timed loop.
type timing struct {
	Median time.Duration `json:"median_ns"`
	Min    time.Duration `json:"min_ns"`
	Reps   int           `json:"reps"`
	Warm   int           `json:"warm"`
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
