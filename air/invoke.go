// Package air is Cascade's AIR interpreter: a pure, deterministic re-implementation of
// AquaVM 0.62. One call to Invoke runs a script against the previous and current particle
// data and the results of earlier service calls, and returns the new data, the call
// requests for local services and the peers the particle must go to next.
package air

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/rustfmt"
	"github.com/cascadep2p/cascade/air/parser"
	"github.com/cascadep2p/cascade/air/sig"
)

// DefaultRunParameters returns parameters with AquaVM's default limits and the hard limit off.
func DefaultRunParameters() RunParameters {
	return RunParameters{
		AirSizeLimit:        DefaultAirSizeLimit,
		ParticleSizeLimit:   DefaultParticleSizeLimit,
		CallResultSizeLimit: DefaultCallResultSizeLimit,
	}
}

// prepError is an error that stops a run before execution: the data is returned unchanged.
type prepError struct {
	code int64
	msg  string
}

// Invoke runs one interpreter step. It never panics: malformed input yields an Outcome
// with AquaVM's return code and message. Invoke reads prevData and currentData without
// copying them and keeps no reference to them once it returns (except that a failed
// preparation returns prevData itself as Outcome.Data); they must not be modified while it
// runs.
func Invoke(script string, prevData, currentData []byte, params RunParameters, callResults CallResults) (out Outcome) {
	defer func() {
		if r := recover(); r != nil {
			out = Outcome{RetCode: CodeTraceError, ErrorMessage: fmt.Sprintf("internal interpreter error: %v", r), Data: prevData}
		}
	}()
	var limits struct{ air, particle, callResult bool }
	fail := func(p *prepError) Outcome {
		return Outcome{RetCode: p.code, ErrorMessage: p.msg, Data: prevData,
			AirSizeLimitExceeded: limits.air, ParticleSizeLimitExceeded: limits.particle, CallResultSizeLimitExceeded: limits.callResult}
	}
	withLimits := func(o Outcome) Outcome {
		o.AirSizeLimitExceeded, o.ParticleSizeLimitExceeded, o.CallResultSizeLimitExceeded = limits.air, limits.particle, limits.callResult
		return o
	}

	if uint64(len(script)) > params.AirSizeLimit {
		limits.air = true
		if params.HardLimitEnabled {
			return fail(&prepError{CodeSizeLimitsExceeded, fmt.Sprintf("air size: %d bytes is bigger than the limit allowed: %d bytes", len(script), params.AirSizeLimit)})
		}
	}
	if uint64(len(currentData)) > params.ParticleSizeLimit {
		limits.particle = true
		if params.HardLimitEnabled {
			return fail(&prepError{CodeSizeLimitsExceeded, fmt.Sprintf("Current_data particle size: %d bytes is bigger than the limit allowed: %d bytes", len(currentData), params.ParticleSizeLimit)})
		}
	}

	prev, cur, perr := parseData(prevData, currentData)
	if perr != nil {
		return fail(perr)
	}
	sigs, perr := verifyData(prev, cur, params.ParticleID)
	if perr != nil {
		return fail(perr)
	}
	tree, err := parser.ParseTree(script)
	if err != nil {
		return fail(&prepError{CodeAIRParseError, err.Error()})
	}
	// Nothing of the run refers to the tree's nodes once Invoke returns: the outcome
	// holds strings, which point into the script, never into the tree.
	defer tree.Release()
	root := tree.Root
	for _, r := range callResults {
		if uint64(len(r.Result)) > params.CallResultSizeLimit {
			limits.callResult = true
			if params.HardLimitEnabled {
				return fail(&prepError{CodeSizeLimitsExceeded, fmt.Sprintf("Call result size is bigger than the limit allowed: %d bytes", params.CallResultSizeLimit)})
			}
			break
		}
	}
	if params.KeyFormat != 0 {
		return fail(&prepError{CodeMalformedKeyPairData, fmt.Sprintf("malformed keypair format: Invalid key format: %d", params.KeyFormat)})
	}
	kp, kerr := sig.NewKeyPair(params.SecretKey)
	if kerr != nil {
		return fail(&prepError{CodeMalformedKeyPairData, "malformed keypair format: " + kerr.Error()})
	}

	pending := make(CallResults, len(callResults))
	for k, v := range callResults {
		pending[k] = v
	}
	e := &exec{
		params:      params,
		scalars:     newSparse[agg](),
		canons:      newSparse[canonStream](),
		canonMaps:   newSparse[canonMap](),
		iterables:   map[string]*foldState{},
		complete:    true,
		lcid:        prev.LastCallRequestID,
		callResults: pending,
		cids:        newCidState(&prev.CidInfo, &cur.CidInfo),
		trace:       newTraceHandler(prev.Trace, cur.Trace),
		lastErr:     errDescriptor{e: noError(), canBeSet: true},
		errDesc:     errDescriptor{e: noError(), canBeSet: true},
	}
	runErr := e.execute(root)
	if runErr != nil && !runErr.catchable {
		return withLimits(Outcome{RetCode: runErr.code, ErrorMessage: runErr.msg, Data: prevData})
	}
	if err := e.streams.compactify(e.trace); err != nil {
		return withLimits(Outcome{RetCode: err.code, ErrorMessage: err.msg})
	}
	if err := e.streamMaps.compactify(e.trace); err != nil {
		return withLimits(Outcome{RetCode: err.code, ErrorMessage: err.msg})
	}
	sigs[string(kp.PublicKeyRaw())] = string(kp.Sign(e.myCID, params.ParticleID))

	out = Outcome{RetCode: CodeSuccess}
	switch {
	case runErr != nil:
		out.RetCode, out.ErrorMessage = runErr.code, runErr.msg
	case len(e.callResults) > 0:
		out.RetCode = CodeUnprocessedCallResult
		out.ErrorMessage = "after finishing execution of supplied AIR, there are some unprocessed call results: `" + unprocessedDebug(e.callResults) + "`, probably a wrong call_id used"
	}
	nd := &data.Data{
		Trace:             e.trace.result,
		LastCallRequestID: e.lcid,
		CidInfo:           e.cids.info,
		Signatures:        sigs,
	}
	out.Data = data.Encode(nd)
	// The outcome holds nothing of the three traces: their memory goes to the next run.
	data.RecycleTrace(prev.Trace)
	data.RecycleTrace(cur.Trace)
	data.RecycleTrace(nd.Trace)
	out.NextPeerPKs = dedup(e.nextPeers)
	out.CallRequests = e.callRequests
	sort.Slice(out.CallRequests, func(i, j int) bool { return out.CallRequests[i].ID < out.CallRequests[j].ID })
	return withLimits(out)
}

func dedup(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	seen := make(map[string]bool, len(s))
	out := make([]string, 0, len(s))
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// unprocessedDebug renders leftover call results like Rust's Debug of the map, ids ascending.
func unprocessedDebug(m CallResults) string {
	ids := make([]uint32, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		r := m[id]
		fmt.Fprintf(&b, "%q: CallServiceResult { ret_code: %d, result: %s }", strconv.Itoa(int(id)), r.RetCode, rustfmt.DebugStr(r.Result))
	}
	b.WriteByte('}')
	return b.String()
}
