package difftest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cascadep2p/cascade/air/gen"
)

// Summary describes what a batch of recorded cases did on the oracle: whether the
// generator produces interesting scenarios.
type Summary struct {
	Cases           int            // cases with a recorded outcome
	MultiInvocation int            // cases with 2 or more invocations
	Long            int            // cases with 4 or more invocations
	MultiPeer       int            // cases that ran on 2 or more peers
	AllOK           int            // cases whose invocations all returned 0
	SomeError       int            // cases with a non-zero ret_code somewhere
	ParseErrors     int            // cases whose first invocation returned 1 (parse or validation error)
	WithPosition    int            // cases whose first error names a script.air position
	Truncated       int            // cases cut at max_invocations
	Undelivered     int            // cases that sent to a peer outside the case
	CallRequests    int            // call requests over all cases
	Invocations     map[string]int // invocations per case, bucketed
	RetCodes        map[int64]int  // cases per non-zero ret_code seen in any invocation
	FinalRetCodes   map[int64]int  // cases per ret_code of the last invocation
	Tags            map[string]int // cases per tag (generator features, mutation kinds)
}

func bucket(n int) string {
	switch {
	case n <= 1:
		return "1"
	case n <= 3:
		return "2-3"
	case n <= 9:
		return "4-9"
	case n <= 49:
		return "10-49"
	}
	return "50+"
}

// Summarize computes the summary of cases from their recorded outcomes (cases without one
// are left out).
func Summarize(cases []*gen.Case, outcomes map[string]*Outcome) *Summary {
	s := &Summary{Invocations: map[string]int{}, RetCodes: map[int64]int{}, FinalRetCodes: map[int64]int{}, Tags: map[string]int{}}
	for _, c := range cases {
		o := outcomes[c.Name]
		if o == nil || len(o.Invocations) == 0 {
			continue
		}
		s.Cases++
		n := len(o.Invocations)
		s.Invocations[bucket(n)]++
		if n >= 2 {
			s.MultiInvocation++
		}
		if n >= 4 {
			s.Long++
		}
		peers := map[string]bool{}
		codes := map[int64]bool{}
		for _, inv := range o.Invocations {
			peers[inv.Peer] = true
			s.CallRequests += len(inv.CallRequests)
			if inv.RetCode != 0 {
				codes[inv.RetCode] = true
			}
		}
		for c := range codes {
			s.RetCodes[c]++
		}
		if len(peers) >= 2 {
			s.MultiPeer++
		}
		if len(codes) == 0 {
			s.AllOK++
		} else {
			s.SomeError++
		}
		if o.Invocations[0].RetCode == 1 {
			s.ParseErrors++
		}
		if o.FirstErrorPosition() != "" {
			s.WithPosition++
		}
		if o.Truncated {
			s.Truncated++
		}
		if len(o.Undelivered) > 0 {
			s.Undelivered++
		}
		s.FinalRetCodes[o.Invocations[n-1].RetCode]++
		for _, t := range c.Tags {
			s.Tags[t]++
		}
	}
	return s
}

// String renders the summary as a few lines of text.
func (s *Summary) String() string {
	var b strings.Builder
	pct := func(n int) string {
		if s.Cases == 0 {
			return "0%"
		}
		return fmt.Sprintf("%d%%", 100*n/s.Cases)
	}
	fmt.Fprintf(&b, "%d cases: %s with 2+ invocations, %s with 4+, %s on 2+ peers, %s all ret_code 0, %s with an error, %s parse errors (%s with a position), %s truncated, %s undelivered; %d call requests\n",
		s.Cases, pct(s.MultiInvocation), pct(s.Long), pct(s.MultiPeer), pct(s.AllOK), pct(s.SomeError), pct(s.ParseErrors), pct(s.WithPosition), pct(s.Truncated), pct(s.Undelivered), s.CallRequests)
	fmt.Fprintf(&b, "invocations per case: %s\n", counts(s.Invocations, []string{"1", "2-3", "4-9", "10-49", "50+"}))
	fmt.Fprintf(&b, "cases per error ret_code seen: %s\n", intCounts(s.RetCodes))
	fmt.Fprintf(&b, "cases per final ret_code: %s\n", intCounts(s.FinalRetCodes))
	var tags []string
	for t := range s.Tags {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	fmt.Fprintf(&b, "cases per tag: %s\n", counts(s.Tags, tags))
	return b.String()
}

func counts(m map[string]int, keys []string) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func intCounts(m map[int64]int) string {
	var keys []int64
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}
