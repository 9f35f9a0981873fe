// Package sim re-implements, in process, the multi-peer simulation of the AIR oracle
// (../shared/oracle/oracle.mjs, runCase): deterministic peer keys, {{name}} substitution,
// one FIFO queue of interpreter invocations, canned service answers passed through
// JavaScript values, and the oracle's result schema, so that a Go interpreter can be
// checked against the recorded runs of the real AquaVM.
//
// Run drives any InvokeFunc: air.Invoke for an all-Cascade network, or a function that
// sends some peers elsewhere for a mixed one. WriteJSON prints a Result exactly as the
// oracle prints its own, and Compare applies the rules of compare.mjs.
package sim

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sim/jsjson"
	"github.com/cascadep2p/cascade/air/value"
)

// InvokeFunc runs one interpreter invocation; it has air.Invoke's signature.
type InvokeFunc func(script string, prev, data []byte, p air.RunParameters, cr air.CallResults) air.Outcome

// MemoryLimit is the value of all three size limits, as the JS client sets them (with the
// hard limit off).
const MemoryLimit = 4294967296

// Result is the oracle's record of one case run (see ../shared/oracle/README.md, "Output").
// Fields typed any hold jsjson values.
type Result struct {
	// Oracle names what produced the result (informative).
	Oracle map[string]string
	// Peers lists the peer keys in case order; their ids print as peer_ids.
	Peers          []PeerKey
	InitPeer       string
	ScriptResolved string
	Particle       Particle
	Invocations    []Invocation
	Undelivered    []Undelivered
	Truncated      bool
	// FinalData is every peer's human-readable data at the end (nil when it has none);
	// FinalTrace is its resolved trace.
	FinalData  map[string]any
	FinalTrace map[string]any
	// FinalRawData is every peer's data bytes at the end (not printed).
	FinalRawData map[string][]byte
}

// Invocation is the record of one interpreter call.
type Invocation struct {
	Index        int
	Peer         string
	Input        Input
	RetCode      int64
	ErrorMessage string
	NextPeerPKs  []string  // sorted as JavaScript sorts strings
	NextPeers    []*string // peer names, nil for ids that are not among the peers
	CallRequests []CallRequest
	Trace        any // resolved trace, nil when data is empty
	Data         any // human-readable data, nil when empty
	RawData      []byte
}

// Input says what an invocation received.
type Input struct {
	// Kind is "start", "particle" or "call_results".
	Kind string
	// From is the sending peer of a particle (nil for the start).
	From *string
	// CallResults are the answers given (kind call_results), in call id order.
	CallResults []InputCallResult
}

// InputCallResult is one answer handed to the interpreter.
type InputCallResult struct {
	ID uint32
	Answer
}

// CallRequest is a call request as the oracle records it; Args are jsjson values.
type CallRequest struct {
	ID         uint32
	Service    string
	Function   string
	Args       []any
	Tetraplets [][]data.Tetraplet
}

// Undelivered records a next peer id that is not among the case's peers.
type Undelivered struct {
	FromInvocation int
	PeerPK         string
}

var placeholder = regexp.MustCompile(`\{\{([A-Za-z0-9_.-]+)\}\}`)

// substitute replaces {{name}} by that peer's id.
func substitute(s string, peers map[string]PeerKey) (string, error) {
	var err error
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		p, ok := peers[m[2:len(m)-2]]
		if !ok {
			if err == nil {
				err = fmt.Errorf("unknown peer placeholder %s", m)
			}
			return m
		}
		return p.PeerID
	})
	return out, err
}

// substituteValue substitutes inside every string of a jsjson value (object keys excepted).
func substituteValue(v any, peers map[string]PeerKey) (any, error) {
	switch x := v.(type) {
	case string:
		return substitute(x, peers)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = substituteValue(e, peers); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *jsjson.Object:
		out := jsjson.NewObject()
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			s, err := substituteValue(e, peers)
			if err != nil {
				return nil, err
			}
			out.Set(k, s)
		}
		return out, nil
	}
	return v, nil
}

// ArgsToJS converts call arguments to the JavaScript values the oracle sees (numbers as
// doubles, keys in JavaScript order).
func ArgsToJS(args []value.Value) ([]any, error) {
	if args == nil {
		args = []value.Value{}
	}
	v, err := jsjson.Parse(value.Marshal(args))
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, errors.New("arguments are not an array")
	}
	return l, nil
}

type event struct {
	peer        string
	data        []byte
	from        *string
	callResults []InputCallResult // non-nil for an answers event
}

// Run runs a case with invoke for every interpreter call, as the oracle's runCase does.
func Run(c *Case, invoke InvokeFunc) (*Result, error) {
	if len(c.Peers) == 0 {
		return nil, errors.New("case.peers must be a non-empty array")
	}
	peers := map[string]PeerKey{}
	byPK := map[string]string{}
	for _, n := range c.Peers {
		k, err := PeerKeyOf(n, c.PeerSeeds[n])
		if err != nil {
			return nil, err
		}
		peers[n] = k
	}
	for _, n := range c.Peers {
		byPK[peers[n].PeerID] = n
	}
	initPeer := c.InitPeer
	if initPeer == "" {
		initPeer = c.Peers[0]
	}
	if _, ok := peers[initPeer]; !ok {
		return nil, fmt.Errorf("init_peer %s is not in peers", initPeer)
	}
	script, err := substitute(c.Script, peers)
	if err != nil {
		return nil, err
	}
	particle := DefaultParticle()
	if c.Particle != nil {
		particle = *c.Particle
	}
	maxInv := c.MaxInvocations
	if maxInv <= 0 {
		maxInv = DefaultMaxInvocations
	}
	tables := map[string]map[string]any{}
	for peer, t := range c.Services {
		tables[peer] = map[string]any{}
		for k, v := range t {
			if tables[peer][k], err = substituteValue(v, peers); err != nil {
				return nil, err
			}
		}
	}
	services := NewServices(tables)

	res := &Result{
		Oracle:         map[string]string{"implementation": "cascade", "interpreter_version": data.InterpreterVersion},
		InitPeer:       initPeer,
		ScriptResolved: script,
		Particle:       particle,
		Invocations:    []Invocation{},
		Undelivered:    []Undelivered{},
		FinalData:      map[string]any{},
		FinalTrace:     map[string]any{},
		FinalRawData:   map[string][]byte{},
	}
	for _, n := range c.Peers {
		res.Peers = append(res.Peers, peers[n])
	}
	prevData := map[string][]byte{}
	for _, n := range c.Peers {
		prevData[n] = []byte{}
	}
	queue := []event{{peer: initPeer, data: []byte{}}}
	for len(queue) > 0 {
		if len(res.Invocations) >= maxInv {
			res.Truncated = true
			break
		}
		ev := queue[0]
		queue = queue[1:]
		me := peers[ev.peer]
		cr := air.CallResults{}
		for _, a := range ev.callResults {
			cr[a.ID] = air.CallResult{RetCode: a.RetCode, Result: jsjson.Stringify(a.Result)}
		}
		out := invoke(script, prevData[ev.peer], ev.data, air.RunParameters{
			InitPeerID:          peers[initPeer].PeerID,
			CurrentPeerID:       me.PeerID,
			Timestamp:           particle.Timestamp,
			TTL:                 particle.TTL,
			KeyFormat:           0,
			SecretKey:           me.Seed,
			ParticleID:          particle.ID,
			AirSizeLimit:        MemoryLimit,
			ParticleSizeLimit:   MemoryLimit,
			CallResultSizeLimit: MemoryLimit,
			HardLimitEnabled:    false,
		}, cr)

		// the interpreter builds next_peer_pks from a hash set: the oracle sorts it and
		// queues the deliveries in that order
		next := slices.Clone(out.NextPeerPKs)
		if next == nil {
			next = []string{}
		}
		slices.SortStableFunc(next, jsjson.CompareStrings)
		rec := Invocation{
			Index:        len(res.Invocations),
			Peer:         ev.peer,
			RetCode:      out.RetCode,
			ErrorMessage: out.ErrorMessage,
			NextPeerPKs:  next,
			NextPeers:    make([]*string, len(next)),
			CallRequests: []CallRequest{},
			RawData:      out.Data,
		}
		switch {
		case ev.callResults != nil:
			rec.Input = Input{Kind: "call_results", CallResults: ev.callResults}
		case ev.from == nil:
			rec.Input = Input{Kind: "start"}
		default:
			rec.Input = Input{Kind: "particle", From: ev.from}
		}
		for i, pk := range next {
			if n, ok := byPK[pk]; ok {
				rec.NextPeers[i] = &n
			}
		}
		for _, r := range out.CallRequests {
			args, err := ArgsToJS(r.Arguments)
			if err != nil {
				return nil, fmt.Errorf("invocation %d: call request %d: %w", rec.Index, r.ID, err)
			}
			tets := r.Tetraplets
			if tets == nil {
				tets = [][]data.Tetraplet{}
			}
			rec.CallRequests = append(rec.CallRequests, CallRequest{ID: r.ID, Service: r.ServiceID, Function: r.FunctionName, Args: args, Tetraplets: tets})
		}
		slices.SortStableFunc(rec.CallRequests, func(a, b CallRequest) int { return cmp.Compare(a.ID, b.ID) })
		rec.Data = HumanData(out.Data)
		rec.Trace = ResolvedTrace(rec.Data)
		res.Invocations = append(res.Invocations, rec)

		// the interface says: data must be kept regardless of ret_code
		if len(out.Data) > 0 {
			prevData[ev.peer] = out.Data
		}
		from := ev.peer
		for _, pk := range next {
			to, ok := byPK[pk]
			if !ok {
				res.Undelivered = append(res.Undelivered, Undelivered{FromInvocation: rec.Index, PeerPK: pk})
				continue
			}
			queue = append(queue, event{peer: to, data: out.Data, from: &from})
		}
		var answers []InputCallResult
		for _, r := range rec.CallRequests {
			a, err := services.Answer(ev.peer, r.Service, r.Function, r.Args)
			if err != nil {
				return nil, fmt.Errorf("invocation %d: call %d %s.%s: %w", rec.Index, r.ID, r.Service, r.Function, err)
			}
			if a != nil {
				answers = append(answers, InputCallResult{ID: r.ID, Answer: *a})
			}
		}
		if len(answers) > 0 {
			queue = append(queue, event{peer: ev.peer, data: []byte{}, from: &from, callResults: answers})
		}
	}
	for _, n := range c.Peers {
		res.FinalRawData[n] = prevData[n]
		res.FinalData[n] = HumanData(prevData[n])
		res.FinalTrace[n] = ResolvedTrace(res.FinalData[n])
	}
	return res, nil
}
