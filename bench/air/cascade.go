package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/data"
)

// cascadeResult is Cascade's side of one scenario.
type cascadeResult struct {
	Time     timing         `json:"time"`
	PeakHeap uint64         `json:"peak_heap_bytes"` // Go heap high-water mark during one invocation, inputs included
	Outcome  outcomeSummary `json:"outcome"`
}

func summarize(o air.Outcome) outcomeSummary {
	next := append([]string(nil), o.NextPeerPKs...)
	sort.Strings(next)
	if next == nil {
		next = []string{}
	}
	return outcomeSummary{
		RetCode:      o.RetCode,
		ErrorMessage: o.ErrorMessage,
		NextPeerPKs:  next,
		CallRequests: len(o.CallRequests),
		DataBytes:    len(o.Data),
	}
}

// peakHeapOf measures the peak Go heap of invoke, the larger of two runs, less base (the
// live heap before the scenario was loaded).
func peakHeapOf(invoke func() air.Outcome, base uint64) uint64 {
	var peak uint64
	for i := 0; i < 2; i++ {
		if p := peakHeap(func() { invoke() }); p > peak {
			peak = p
		}
	}
	if peak > base {
		return peak - base
	}
	return 0
}

// compareOutcomes lists where Cascade's outcome differs from the real AVM's.
func compareOutcomes(avm, got outcomeSummary) []string {
	var d []string
	if avm.RetCode != got.RetCode {
		d = append(d, fmt.Sprintf("ret_code: AVM %d, Cascade %d (%s)", avm.RetCode, got.RetCode, firstLine(got.ErrorMessage)))
	} else if avm.ErrorMessage != got.ErrorMessage {
		d = append(d, fmt.Sprintf("error message: AVM %q, Cascade %q", firstLine(avm.ErrorMessage), firstLine(got.ErrorMessage)))
	}
	if strings.Join(avm.NextPeerPKs, ",") != strings.Join(got.NextPeerPKs, ",") {
		d = append(d, fmt.Sprintf("next peers: AVM %v, Cascade %v", avm.NextPeerPKs, got.NextPeerPKs))
	}
	if avm.CallRequests != got.CallRequests {
		d = append(d, fmt.Sprintf("call requests: AVM %d, Cascade %d", avm.CallRequests, got.CallRequests))
	}
	return d
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

// codecResult is Cascade's codec cost on a scenario's current data.
type codecResult struct {
	Bytes        int     `json:"bytes"`
	Decode       timing  `json:"decode"`
	DecodeAllocs float64 `json:"decode_allocs"`
	DecodeBytes  float64 `json:"decode_alloc_bytes"`
	Encode       timing  `json:"encode"`
	EncodeAllocs float64 `json:"encode_allocs"`
	EncodeBytes  float64 `json:"encode_alloc_bytes"`
	OutBytes     int     `json:"out_bytes"`
	Err          string  `json:"error,omitempty"`
}

// decodeLimits are the options air.Invoke decodes its input data with: decoded strings
// share the input bytes (Limits.Alias), which the interpreter only reads while it runs.
var decodeLimits = data.Limits{Alias: true}

// runCodec measures data.Decode (as air.Invoke calls it) and data.Encode on x (a
// scenario's current data).
func runCodec(x []byte, b budget) codecResult {
	r := codecResult{Bytes: len(x)}
	d, err := data.Decode(x, decodeLimits)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	r.OutBytes = len(data.Encode(d))
	b = b.forInput(2 * len(x))
	r.Decode = timeIt(func() {
		if _, err := data.Decode(x, decodeLimits); err != nil {
			panic(err)
		}
	}, b)
	r.Encode = timeIt(func() { data.Encode(d) }, b)
	n := 5
	if len(x) > 50e6 {
		n = 1
	}
	r.DecodeAllocs, r.DecodeBytes = allocsPerCall(func() { _, _ = data.Decode(x, decodeLimits) }, n)
	r.EncodeAllocs, r.EncodeBytes = allocsPerCall(func() { data.Encode(d) }, n)
	return r
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
