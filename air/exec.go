package air

import (
	"strconv"

	"github.com/cascadep2p/cascade/air/ast"
	"github.com/cascadep2p/cascade/air/cid"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/slab"
	"github.com/cascadep2p/cascade/air/value"
)

// instrError is the object behind %last_error% and :error:.
type instrError struct {
	obj  value.Value
	tet  *data.Tetraplet
	prov provenance
	orig *execError // the caught error, re-raised by (fail :error:)
}

func noError() instrError {
	o := value.NewObject(2)
	o.Set("error_code", value.Int(0))
	o.Set("message", "")
	return instrError{obj: o, prov: literalProvenance}
}

type errDescriptor struct {
	e        instrError
	canBeSet bool
}

func errorObject(code int64, msg, instr string, peerID *string) value.Value {
	o := value.NewObject(4)
	o.Set("error_code", value.Int(code))
	o.Set("message", msg)
	o.Set("instruction", instr)
	if peerID != nil {
		o.Set("peer_id", *peerID)
	}
	return o
}

// exec is the state of one interpreter run.
type exec struct {
	params RunParameters

	scalars   sparse[agg]
	canons    sparse[canonStream]
	canonMaps sparse[canonMap]
	iterables map[string]*foldState

	streams    streams
	streamMaps streams

	nextPeers []string
	lastErr   errDescriptor
	errDesc   errDescriptor
	complete  bool
	foldCount uint32

	lcid         uint32
	callResults  CallResults
	callRequests []CallRequest

	cids  *cidState
	myCID []string
	trace *traceHandler

	litTet  *data.Tetraplet
	litKeys map[*ast.Value]value.Value // boxed literal stream-map keys
	aggs    slab.Slab[agg]             // the aggregates of the hot paths
	argTets []argTets                  // the last call's argument tetraplets (collectArgs)
	kvs     value.Object2Slab          // the stream maps' {"key", "value"} objects
}

// agg is newAgg with the aggregate taken from a per-run slab.
func (e *exec) agg(v value.Value, tet *data.Tetraplet, pos uint32, prov provenance) *agg {
	a := e.aggs.New()
	*a = agg{v: v, tet: normTet(tet, prov), pos: pos, prov: prov}
	return a
}

func (e *exec) incomplete() { e.complete = false }

func (e *exec) recordCID(peer, c string) {
	if peer == e.params.CurrentPeerID {
		e.myCID = append(e.myCID, c)
	}
}

// logsPeerID tells whether an instruction's error objects carry a peer_id (AquaVM's
// PeerIDErrorLogable: call and the canon forms).
func logsPeerID(in ast.Instruction) bool {
	switch in.(type) {
	case *ast.Call, *ast.Canon, *ast.CanonMap, *ast.CanonMapScalar:
		return true
	}
	return false
}

// setErrors updates %last_error% and :error: after instruction in failed with err.
func (e *exec) setErrors(err *execError, in ast.Instruction, tet *data.Tetraplet, useTet bool) {
	setLast := e.lastErr.canBeSet && err.affectsLastError()
	setErr := e.errDesc.canBeSet && err.catchable
	if setLast || setErr {
		text := in.String()
		lastPeer := e.params.CurrentPeerID
		if tet != nil && useTet {
			lastPeer = tet.PeerPK
		}
		if setLast {
			e.lastErr.e = instrError{obj: errorObject(err.code, err.msg, text, &lastPeer), tet: tet, prov: literalProvenance}
			e.lastErr.canBeSet = false
		}
		if setErr {
			var pid *string
			if useTet {
				pid = &lastPeer
			}
			e.errDesc.e = instrError{obj: errorObject(err.code, err.msg, text, pid), tet: tet, prov: literalProvenance}
		}
	}
	e.errDesc.canBeSet = false
}

// execute runs one instruction; errors update the error descriptors on the way up.
func (e *exec) execute(in ast.Instruction) *execError {
	var err *execError
	switch x := in.(type) {
	case *ast.Call:
		return e.call(x)
	case *ast.Seq:
		e.complete = true
		if err = e.execute(x.Left); err == nil && e.complete {
			err = e.execute(x.Right)
		}
	case *ast.Par:
		err = e.par(x)
	case *ast.Xor:
		err = e.xor(x)
	case *ast.Ap:
		err = e.ap(x)
	case *ast.ApMap:
		err = e.apMap(x)
	case *ast.Canon:
		err = e.canonStreamInstr(x)
	case *ast.CanonMap:
		err = e.canonMapInstr(x)
	case *ast.CanonMapScalar:
		err = e.canonMapScalarInstr(x)
	case *ast.Match:
		err = e.match(&x.Left, &x.Right, x.Body, true)
	case *ast.Mismatch:
		err = e.match(&x.Left, &x.Right, x.Body, false)
	case *ast.Fail:
		err = e.fail(x)
	case *ast.Fold:
		err = e.foldInstr(x)
	case *ast.Next:
		err = e.next(x)
	case *ast.New:
		err = e.newInstr(x)
	case *ast.Null:
	case *ast.Never:
		e.incomplete()
	default:
		err = errUnknownInstruction()
	}
	if err != nil {
		e.setErrors(err, in, nil, logsPeerID(in))
	}
	return err
}

// errUnknownInstruction reports an instruction type execute does not know; out of line to
// keep execute's frame small.
//
//go:noinline
func errUnknownInstruction() *execError {
	return uncatchable(CodeTraceError, "unknown instruction")
}

// canonStreamInstr runs a Canon instruction, kept out of execute so that its frame stays small
// (execute recurses once per nested instruction and fold iteration).
func (e *exec) canonStreamInstr(x *ast.Canon) *execError {
	return e.canonInstr(x, x.Peer, canonOf(&e.streams, &x.Stream), func(c *canonStream) *execError {
		return e.canons.set(x.Canon.Name, c)
	})
}

// canonMapInstr runs a CanonMap instruction, kept out of execute so that its frame stays small
// (execute recurses once per nested instruction and fold iteration).
func (e *exec) canonMapInstr(x *ast.CanonMap) *execError {
	return e.canonInstr(x, x.Peer, canonOf(&e.streamMaps, &x.StreamMap), func(c *canonStream) *execError {
		m, err := newCanonMap(c)
		if err != nil {
			return err
		}
		return e.canonMaps.set(x.CanonMap.Name, m)
	})
}

// canonOf returns canonInstr's producer of a new canon stream over the stream (or stream
// map) v: all its values, in order.
func canonOf(ss *streams, v *ast.Value) func(peerID string) *canonStream {
	return func(string) *canonStream {
		var vals []*agg
		if s := ss.get(v.Name, v.Pos); s != nil {
			vals = s.all(nil)
		}
		return &canonStream{values: vals}
	}
}

// canonMapScalarInstr runs a CanonMapScalar instruction, kept out of execute so that its frame stays small
// (execute recurses once per nested instruction and fold iteration).
func (e *exec) canonMapScalarInstr(x *ast.CanonMapScalar) *execError {
	return e.canonInstr(x, x.Peer, func(peerID string) *canonStream {
		obj := value.NewObject(0)
		seen := map[string]bool{}
		if s := e.streamMaps.get(x.StreamMap.Name, x.StreamMap.Pos); s != nil {
			for _, kv := range s.all(nil) {
				o, ok := kv.v.(*value.Object)
				if !ok {
					continue
				}
				kval, ok := o.Get("key")
				if !ok {
					continue
				}
				k, ok := mapKeyFromValue(kval)
				if !ok || seen[k.String()] {
					continue
				}
				seen[k.String()] = true
				if v, ok := o.Get("value"); ok {
					obj.Set(k.String(), v)
				}
			}
		}
		return &canonStream{values: []*agg{{v: obj, tet: &data.Tetraplet{PeerPK: peerID}, prov: literalProvenance}}}
	}, func(c *canonStream) *execError {
		if len(c.values) == 0 {
			return uncatchable(CodeCanonStreamMapError, "can not find JValue to produce scalar from")
		}
		v := newAgg(c.values[0].v, &data.Tetraplet{PeerPK: c.tet.PeerPK, Lens: c.tet.Lens}, e.trace.tracePos(), provenance{kind: data.ProvenanceCanon, cid: c.cid})
		return e.scalars.set(x.Scalar.Name, v)
	})
}

func (e *exec) par(p *ast.Par) *execError {
	if err := e.trace.meetParStart(); err != nil {
		return errTrace(p.String(), err)
	}
	var results [2]*execError
	var completes [2]bool
	for i, branch := range []ast.Instruction{p.Left, p.Right} {
		_, isNext := branch.(*ast.Next)
		e.complete = !isNext
		err := e.execute(branch)
		if err != nil && !err.catchable {
			e.incomplete()
			return err
		}
		if err != nil {
			e.incomplete()
		}
		if terr := e.trace.meetParSubgraphEnd(i == 1); terr != nil {
			return errTrace(p.String(), terr)
		}
		results[i] = err
		completes[i] = e.complete
	}
	e.complete = completes[0] || completes[1]
	if results[0] == nil || results[1] == nil {
		e.lastErr.canBeSet = true
		return nil
	}
	return results[1]
}

func (e *exec) xor(x *ast.Xor) *execError {
	e.complete = true
	err := e.execute(x.Left)
	if err == nil || !err.catchable {
		return err
	}
	e.complete = true
	e.lastErr.canBeSet = true
	e.errDesc.e.orig = err
	e.errDesc.canBeSet = true
	rerr := e.execute(x.Right)
	if e.errDesc.canBeSet {
		e.errDesc.e = noError()
	}
	if rerr == nil {
		e.errDesc.canBeSet = true
	}
	return rerr
}

func (e *exec) match(l, r *ast.Value, body ast.Instruction, wantEqual bool) *execError {
	run, err := e.compare(l, r, wantEqual)
	if !run {
		return err
	}
	return e.execute(body)
}

// compare resolves and compares the operands of match (wantEqual) or mismatch, and says
// whether the body runs.
func (e *exec) compare(l, r *ast.Value, wantEqual bool) (bool, *execError) {
	lv, err := e.resolve(l)
	if err == nil {
		var rv resolved
		if rv, err = e.resolve(r); err == nil {
			if value.Equal(lv.v, rv.v) != wantEqual {
				if wantEqual {
					return false, catchable(CodeMatchValuesNotEqual, "compared values do not match")
				}
				return false, catchable(CodeMismatchValuesEqual, "compared values do not mismatch")
			}
			return true, nil
		}
	}
	if err.joinable {
		e.incomplete()
		return false, nil
	}
	return false, err
}

func (e *exec) newInstr(n *ast.New) *execError {
	name := n.Arg.Name
	switch n.Arg.Kind {
	case ast.KindStream:
		e.streams.scopeStart(name, n.Span)
	case ast.KindStreamMap:
		e.streamMaps.scopeStart(name, n.Span)
	case ast.KindScalar:
		e.scalars.newStart(name)
	case ast.KindCanonStream:
		e.canons.newStart(name)
	case ast.KindCanonStreamMap:
		e.canonMaps.newStart(name)
	}
	err := e.execute(n.Body)
	var eerr *execError
	switch n.Arg.Kind {
	case ast.KindStream:
		eerr = e.streams.scopeEnd(name, e.trace)
	case ast.KindStreamMap:
		eerr = e.streamMaps.scopeEnd(name, e.trace)
	case ast.KindScalar:
		eerr = e.scalars.newEnd(name)
	case ast.KindCanonStream:
		eerr = e.canons.newEnd(name)
	case ast.KindCanonStreamMap:
		eerr = e.canonMaps.newEnd(name)
	}
	if err != nil {
		return err
	}
	return eerr
}

// ---------------------------------------------------------------- ap

func (e *exec) apArg(arg *ast.Value, touchTrace bool) (*agg, *execError) {
	pos := e.trace.tracePos()
	switch arg.Kind {
	case ast.KindScalar:
		if arg.Lambda == nil {
			ref, err := e.scalarRef(arg.Name)
			if err != nil {
				return nil, err
			}
			if !touchTrace {
				return ref.agg(), nil
			}
			if ref.v != nil {
				c := e.aggs.New()
				*c = *ref.v
				c.pos = pos
				return c, nil
			}
			it := ref.fold.it.peek()
			return e.agg(it.v, it.tet, pos, it.prov), nil
		}
	case ast.KindCanonStream:
		if arg.Lambda == nil {
			c, err := e.canon(arg.Name)
			if err != nil {
				return nil, err
			}
			return newAgg(c.asValue(), &data.Tetraplet{PeerPK: c.tet.PeerPK, Lens: c.tet.Lens}, pos, provenance{kind: data.ProvenanceCanon, cid: c.cid}), nil
		}
	case ast.KindCanonStreamMap:
		if arg.Lambda == nil {
			m, err := e.canonMap(arg.Name)
			if err != nil {
				return nil, err
			}
			return newAgg(m.asValue(), &data.Tetraplet{PeerPK: m.tet.PeerPK, Lens: m.tet.Lens}, pos, provenance{kind: data.ProvenanceCanon, cid: m.cid}), nil
		}
	}
	r, err := e.resolve(arg)
	if err != nil {
		return nil, err
	}
	return e.agg(r.v, r.first(), pos, r.prov), nil
}

// checkGeneration rejects a generation recorded in the data that no trace could have
// produced: every generation holds at least one value made by one state.
func (e *exec) checkGeneration(g generation) *execError {
	if g.isNew {
		return nil
	}
	n := len(e.trace.prev.trace)
	if g.source == fromCurrent {
		n = len(e.trace.cur.trace)
	}
	if int64(g.idx) >= int64(n) {
		return uncatchable(CodeStreamDontHaveSuchGeneration, "stream doesn't have generation with number %d, supplied to the interpreter data is corrupted", g.idx)
	}
	return nil
}

// literalKey returns a literal stream-map key as a value, boxed once per run.
func (e *exec) literalKey(k *ast.Value) value.Value {
	if v, ok := e.litKeys[k]; ok {
		return v
	}
	var v value.Value = k.Str()
	if k.Kind == ast.KindInt {
		v = value.Int(k.Int)
	}
	if e.litKeys == nil {
		e.litKeys = map[*ast.Value]value.Value{}
	}
	e.litKeys[k] = v
	return v
}

func genFromMet(m *metAp) generation {
	if m == nil {
		return generation{isNew: true}
	}
	return generation{source: m.source, idx: m.generation}
}

func (e *exec) ap(a *ast.Ap) *execError {
	toStream := a.Result.Kind == ast.KindStream
	v, err := e.apArg(&a.Arg, toStream)
	if err != nil {
		if err.joinable {
			e.incomplete()
			return nil
		}
		return err
	}
	if !toStream {
		return e.scalars.set(a.Result.Name, v)
	}
	met, terr := e.trace.meetApStart()
	if terr != nil {
		return errTrace(a.String(), terr)
	}
	g := genFromMet(met)
	if err := e.checkGeneration(g); err != nil {
		return err
	}
	if err := e.streams.add(a.Result.Name, a.Result.Pos, v, g); err != nil {
		return err
	}
	e.trace.meetApEnd()
	return nil
}

func (e *exec) apMap(a *ast.ApMap) *execError {
	v, err := e.apArg(&a.Value, true)
	if err != nil {
		if err.joinable {
			e.incomplete()
			return nil
		}
		return err
	}
	met, terr := e.trace.meetApStart()
	if terr != nil {
		return errTrace(a.String(), terr)
	}
	var key value.Value // a string or an integer
	switch a.Key.Kind {
	case ast.KindLiteral, ast.KindInt:
		key = e.literalKey(&a.Key)
	default:
		r, err := e.resolve(&a.Key)
		if err != nil {
			if err.joinable {
				e.incomplete()
				return nil
			}
			return err
		}
		k, ok := mapKeyFromValue(r.v)
		if !ok {
			return catchable(CodeStreamMapError, "unsupported type for %s map's key", a.Map.Name)
		}
		key = r.v
		if n, isNum := r.v.(value.Number); isNum && !n.IsInteger() {
			key = k.value()
		}
	}
	// apArg made v for this instruction alone (touchTrace), so it becomes the entry.
	kv := v
	kv.v, kv.vcid = e.kvObject(key, v.v), ""
	g := genFromMet(met)
	if err := e.checkGeneration(g); err != nil {
		return err
	}
	if err := e.streamMaps.add(a.Map.Name, a.Map.Pos, kv, g); err != nil {
		return err
	}
	e.trace.meetApEnd()
	return nil
}

// ---------------------------------------------------------------- canon

// resolveString resolves a peer id, service id or function name: a literal,
// %init_peer_id% or a variable that must hold a string.
func (e *exec) resolveString(v *ast.Value) (string, *execError) {
	switch v.Kind {
	case ast.KindInitPeerID:
		return e.params.InitPeerID, nil
	case ast.KindLiteral:
		return v.Str(), nil
	}
	r, err := e.resolve(v)
	if err != nil {
		return "", err
	}
	s, ok := r.v.(string)
	if !ok {
		return "", catchable(CodeNonStringValueInTripletResolution, "call cannot resolve non-String triplet variable part `%s` with value '%s'", v.Name, jv(r.v))
	}
	return s, nil
}

func (e *exec) canonInstr(in ast.Instruction, peer ast.Value, produce func(peerID string) *canonStream, epilog func(*canonStream) *execError) *execError {
	met, terr := e.trace.meetCanonStart()
	if terr != nil {
		return errTrace(in.String(), terr)
	}
	finish := func(c *canonStream) *execError {
		if err := epilog(c); err != nil {
			return err
		}
		e.trace.meetCanonEnd(data.CanonResult{Executed: true, CID: c.cid})
		return nil
	}
	create := func(peerID string) *execError {
		c := produce(peerID)
		c.tet = &data.Tetraplet{PeerPK: peerID}
		r := data.CanonResultAgg{Values: make([]string, len(c.values))}
		e.cids.reserveCanon(len(c.values))
		for i, v := range c.values {
			r.Values[i] = e.cids.trackCanonElement(v)
		}
		r.Tetraplet = e.cids.trackTetraplet(c.tet)
		c.cid = e.cids.trackCanonResult(&r)
		e.recordCID(peerID, c.cid)
		return finish(c)
	}
	if met == nil {
		peerID, err := e.resolveString(&peer)
		if err != nil {
			if err.joinable {
				e.incomplete()
				return nil
			}
			return err
		}
		if peerID != e.params.CurrentPeerID {
			e.incomplete()
			e.nextPeers = append(e.nextPeers, peerID)
			e.trace.meetCanonEnd(data.CanonResult{PeerID: e.params.CurrentPeerID})
			return nil
		}
		return create(peerID)
	}
	peerID, err := e.resolveString(&peer)
	if err != nil {
		return err
	}
	if !met.Executed {
		if peerID != e.params.CurrentPeerID {
			e.incomplete()
			e.trace.meetCanonEnd(*met)
			return nil
		}
		return create(peerID)
	}
	r, err := e.cids.canonResult(met.CID)
	if err != nil {
		return err
	}
	tet, err := e.cids.tetraplet(r.Tetraplet)
	if err != nil {
		return err
	}
	expected := data.Tetraplet{PeerPK: peerID}
	if *tet != expected {
		return errParamsMismatch("canon tetraplet", tetDebug(&expected), tetDebug(tet))
	}
	vals := make([]*agg, len(r.Values))
	elems := make([]agg, len(r.Values))
	for i, vc := range r.Values {
		if err = e.cids.canonElement(vc, &elems[i]); err != nil {
			return err
		}
		vals[i] = &elems[i]
	}
	e.recordCID(tet.PeerPK, met.CID)
	return finish(&canonStream{values: vals, tet: tet, cid: met.CID})
}

func tetDebug(t *data.Tetraplet) string {
	return "SecurityTetraplet { peer_pk: " + quoteDebug(t.PeerPK) + ", service_id: " + quoteDebug(t.ServiceID) +
		", function_name: " + quoteDebug(t.FunctionName) + ", lens: " + quoteDebug(t.Lens) + " }"
}

func quoteDebug(s string) string { return string(value.Marshal(s)) }

// ---------------------------------------------------------------- fail

func (e *exec) failWith(obj value.Value, tet *data.Tetraplet, prov provenance) *execError {
	e.lastErr.e = instrError{obj: obj, tet: tet, prov: prov}
	e.lastErr.canBeSet = false
	e.incomplete()
	return catchable(CodeUserError, "fail with '%s' is used without corresponding xor", jv(obj))
}

func checkErrorObject(v value.Value) *execError {
	inv := func(format string, args ...any) *execError {
		return catchable(CodeInvalidErrorObjectError, format, args...)
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return inv("scalar should have an object type to be converted into error object, but '%s' doesn't have", jv(v))
	}
	code, ok := obj.Get("error_code")
	if !ok {
		return inv("scalar '%s' must have field with name '%s'", jv(v), "error_code")
	}
	n, isNum := code.(value.Number)
	if !isNum || !n.IsInteger() {
		return inv("%s of scalar '%s' must have %s type", "error_code", jv(v), "integer")
	}
	if i, ok := n.Int64(); ok && i == 0 {
		return inv("error code must be non-zero, but it is zero")
	}
	msg, ok := obj.Get("message")
	if !ok {
		return inv("scalar '%s' must have field with name '%s'", jv(v), "message")
	}
	if _, ok := msg.(string); !ok {
		return inv("%s of scalar '%s' must have %s type", "message", jv(v), "string")
	}
	return nil
}

func (e *exec) fail(f *ast.Fail) *execError {
	switch f.Kind {
	case ast.FailLiteral:
		peer := e.params.InitPeerID
		obj := errorObject(f.RetCode, f.Message, f.String(), &peer)
		return e.failWith(obj, e.literalTet(), literalProvenance)
	case ast.FailScalar, ast.FailCanonStream:
		r, err := e.resolve(&f.Value)
		if err != nil {
			return err
		}
		if err := checkErrorObject(r.v); err != nil {
			return err
		}
		return e.failWith(r.v, r.first(), r.prov)
	case ast.FailLastError:
		le := e.lastErr.e
		if err := checkErrorObject(le.obj); err != nil {
			return err
		}
		return e.failWith(le.obj, le.tet, le.prov)
	}
	ce := e.errDesc.e
	if err := checkErrorObject(ce.obj); err != nil {
		return err
	}
	var res *execError
	if ce.orig != nil {
		_ = e.failWith(ce.obj, ce.tet, ce.prov)
		res = ce.orig
	} else {
		res = e.failWith(ce.obj, ce.tet, ce.prov)
	}
	e.errDesc.canBeSet = false
	return res
}

// ---------------------------------------------------------------- fold / next

func (e *exec) foldInstr(f *ast.Fold) *execError {
	switch f.Kind {
	case ast.FoldStream, ast.FoldStreamMap:
		ss := &e.streams
		if f.Kind == ast.FoldStreamMap {
			ss = &e.streamMaps
		}
		s := ss.get(f.Iterable.Name, f.Iterable.Pos)
		if s == nil {
			e.incomplete()
			return nil
		}
		return e.foldStream(f, s)
	}
	it, err := e.scalarIterable(f)
	if err != nil {
		if err.joinable {
			e.incomplete()
			return nil
		}
		return err
	}
	if it == nil {
		return nil
	}
	return e.runFold(&foldState{it: it, body: f.Body, last: f.Last}, f.Iterator)
}

func (e *exec) runFold(fs *foldState, iterator string) *execError {
	e.scalars.foldStart()
	e.canons.foldStart()
	e.canonMaps.foldStart()
	var err *execError
	if e.iterables[iterator] != nil {
		err = uncatchable(CodeMultipleIterableValues, "multiple iterable values found for iterable name '%s'", iterator)
	} else {
		e.iterables[iterator] = fs
		err = e.execute(fs.body)
		delete(e.iterables, iterator)
	}
	e.scalars.foldEnd()
	e.canons.foldEnd()
	e.canonMaps.foldEnd()
	return err
}

func fromArrayAgg(v *agg, name string) (iterable, *execError) {
	arr, ok := v.v.([]value.Value)
	if !ok {
		return nil, catchable(CodeFoldIteratesOverNonArray, "expression '%s' returned non-array value '%s' for fold iterable", name, jv(v.v))
	}
	if len(arr) == 0 {
		return nil, nil
	}
	return &arrayIter{arr: arr, tet: v.tet, pos: v.pos, prov: v.prov}, nil
}

func fromLambdaValue(v value.Value, tet *data.Tetraplet, prov provenance, l *ast.Lambda) (iterable, *execError) {
	tet = withLambda(tet, l)
	arr, ok := v.([]value.Value)
	if !ok {
		return nil, catchable(CodeFoldIteratesOverNonArray, "expression '%s' returned non-array value '%s' for fold iterable", l.String(), jv(v))
	}
	if len(arr) == 0 {
		return nil, nil
	}
	return &arrayIter{arr: arr, tet: tet, pos: 0, prov: prov}, nil
}

// scalarIterable builds the iterable of a fold over a scalar, canon stream or canon map;
// nil means an empty iterable.
func (e *exec) scalarIterable(f *ast.Fold) (iterable, *execError) {
	v := &f.Iterable
	switch v.Kind {
	case ast.KindEmptyArray:
		return nil, nil
	case ast.KindScalar:
		ref, err := e.scalarRef(v.Name)
		if err != nil {
			return nil, err
		}
		if v.Lambda == nil {
			return fromArrayAgg(ref.agg(), v.Name)
		}
		it := ref.item()
		sel, err := e.selectFromScalar(it.v, v.Lambda)
		if err != nil {
			return nil, err
		}
		return fromLambdaValue(sel, it.tet, it.prov, v.Lambda)
	case ast.KindCanonStream:
		c, err := e.canon(v.Name)
		if err != nil {
			return nil, err
		}
		if len(c.values) == 0 {
			return nil, nil
		}
		return &aggIter{values: c.values}, nil
	case ast.KindCanonStreamMap:
		m, err := e.canonMap(v.Name)
		if err != nil {
			return nil, err
		}
		if len(m.keys) == 0 {
			return nil, nil
		}
		if v.Lambda == nil {
			return &aggIter{values: m.values}, nil
		}
		sel, _, err := e.canonMapLambda(m, v.Lambda)
		if err != nil {
			return nil, err
		}
		return fromLambdaValue(sel, m.tet, provenance{kind: data.ProvenanceCanon, cid: m.cid}, v.Lambda)
	}
	return nil, nil
}

func (e *exec) foldStream(f *ast.Fold, s *stream) *execError {
	e.foldCount++
	id := e.foldCount
	text := func() string { return f.String() }
	if err := e.trace.meetFoldStart(id); err != nil {
		return errTrace(text(), err)
	}
	// The cursor starts empty: the first round visits every generation.
	var cur streamCursor
	gens := s.sliceFrom(cur)
	cur = s.cursor()
	if len(gens) > 0 {
		s.new.gens = append(s.new.gens, nil)
	}
	observed := false
	for len(gens) > 0 {
		for _, g := range gens {
			it := &aggIter{values: append([]*agg(nil), g...)}
			if err := e.trace.meetIterationStart(id, it.peek().pos); err != nil {
				return errTrace(text(), err)
			}
			err := e.runFold(&foldState{it: it, isStream: true, foldID: id, body: f.Body, last: f.Last}, f.Iterator)
			if err != nil && !err.catchable {
				return err
			}
			if err := e.trace.meetGenerationEnd(id); err != nil {
				return errTrace(text(), err)
			}
			observed = observed || e.complete
		}
		gens = s.sliceFrom(cur)
		if n := len(s.new.gens); n == 0 || len(s.new.gens[n-1]) == 0 {
			if n > 0 {
				s.new.gens = s.new.gens[:n-1]
			}
		}
		cur = s.cursor()
		s.new.gens = append(s.new.gens, nil)
	}
	e.complete = observed
	if err := e.trace.meetFoldEnd(id); err != nil {
		return errTrace(text(), err)
	}
	return nil
}

func (e *exec) next(n *ast.Next) *execError {
	// next recurses once per fold iteration, so its own frame is kept small: the
	// bookkeeping before and after the body runs in nextAdvance and nextReturn.
	fs, body, err := e.nextAdvance(n)
	if err != nil || body == nil {
		return err
	}
	if body == fs.last {
		e.complete = true
		return e.execute(body)
	}
	return e.nextReturn(n, fs, e.execute(body))
}

// nextAdvance moves fold n's iterator on. It returns the instruction to run next: the
// fold's body for a new element, its last instruction when the iterable is exhausted,
// or nil when nothing runs. It is not inlined (nor nextReturn): next's frame stays
// small even where profile-guided optimization would inline them.
//
//go:noinline
func (e *exec) nextAdvance(n *ast.Next) (*foldState, ast.Instruction, *execError) {
	fs := e.iterables[n.Iterator]
	if fs == nil {
		return nil, nil, errFoldStateNotFound(n.Iterator)
	}
	if fs.isStream {
		if err := e.trace.meetIterationEnd(fs.foldID); err != nil {
			return nil, nil, errTrace(n.String(), err)
		}
	}
	if !fs.it.next() {
		if fs.isStream {
			if err := e.trace.meetBackIterator(fs.foldID); err != nil {
				return nil, nil, errTrace(n.String(), err)
			}
		}
		if fs.last != nil {
			return fs, fs.last, nil
		}
		if !fs.backStarted && fs.isStream {
			fs.backStarted = true
			e.incomplete()
		}
		return fs, nil, nil
	}
	if fs.isStream {
		if err := e.trace.meetIterationStart(fs.foldID, fs.it.peek().pos); err != nil {
			return nil, nil, errTrace(n.String(), err)
		}
	}
	e.scalars.nextBefore()
	e.canons.nextBefore()
	e.canonMaps.nextBefore()
	return fs, fs.body, nil
}

// nextReturn undoes nextAdvance once the body has run with result err.
//
//go:noinline
func (e *exec) nextReturn(n *ast.Next, fs *foldState, err *execError) *execError {
	e.scalars.nextAfter()
	e.canons.nextAfter()
	e.canonMaps.nextAfter()
	if err != nil {
		return err
	}
	fs.it.prev()
	if fs.isStream {
		if err := e.trace.meetBackIterator(fs.foldID); err != nil {
			return errTrace(n.String(), err)
		}
	}
	return nil
}

// ---------------------------------------------------------------- call

func (e *exec) call(c *ast.Call) *execError {
	tet, err := e.resolveTriplet(c)
	if err == nil {
		err = e.checkOutput(&c.Output)
	}
	if err != nil {
		if err.joinable {
			e.incomplete()
			return nil
		}
		if err.catchable {
			e.setErrors(err, c, nil, true)
		}
		return err
	}
	if err := e.callExecute(c, tet); err != nil {
		if err.joinable {
			e.incomplete()
			return nil
		}
		if err.catchable {
			e.setErrors(err, c, tet, true)
		}
		return err
	}
	return nil
}

func (e *exec) resolveTriplet(c *ast.Call) (*data.Tetraplet, *execError) {
	peer, err := e.resolveString(&c.Peer)
	if err != nil {
		return nil, err
	}
	svc, err := e.resolveString(&c.Service)
	if err != nil {
		return nil, err
	}
	fn, err := e.resolveString(&c.Function)
	if err != nil {
		return nil, err
	}
	t := e.cids.newTetraplet()
	*t = data.Tetraplet{PeerPK: peer, ServiceID: svc, FunctionName: fn}
	return t, nil
}

func (e *exec) checkOutput(out *ast.Value) *execError {
	if out.Kind != ast.KindScalar {
		return nil
	}
	v, found := e.scalars.get(out.Name)
	if found && v != nil {
		if e.scalars.couldBeSet(out.Name) || e.canons.couldBeSet(out.Name) {
			return nil
		}
		return errShadowing(out.Name)
	}
	if !found && e.iterables[out.Name] != nil {
		return errIterableShadowing(out.Name)
	}
	return nil
}

// argTets is where an argument's tetraplets are: one, or those of a canon stream.
type argTets struct {
	tet  *data.Tetraplet
	many []*data.Tetraplet
}

// collectArgs resolves the call arguments, and notes in e.argTets where their tetraplets
// are, for a call request to copy (most calls need only the values, for the hash).
func (e *exec) collectArgs(c *ast.Call) ([]value.Value, *execError) {
	args := make([]value.Value, len(c.Args))
	e.argTets = e.argTets[:0]
	for i := range c.Args {
		r, err := e.resolve(&c.Args[i])
		if err != nil {
			return nil, err
		}
		args[i] = r.v
		e.argTets = append(e.argTets, argTets{tet: r.tet, many: r.many})
	}
	return args, nil
}

// argTetraplets copies the tetraplets collectArgs noted, per argument.
func (e *exec) argTetraplets() [][]data.Tetraplet {
	n := 0
	for _, a := range e.argTets {
		if a.many != nil {
			n += len(a.many)
		} else {
			n++
		}
	}
	flat := make([]data.Tetraplet, 0, n)
	tets := make([][]data.Tetraplet, len(e.argTets))
	for i, a := range e.argTets {
		start := len(flat)
		if a.many != nil {
			for _, t := range a.many {
				flat = append(flat, *t)
			}
		} else {
			flat = append(flat, *a.tet)
		}
		tets[i] = flat[start:len(flat):len(flat)]
	}
	clear(e.argTets)
	return tets
}

func verifyCall(argHash string, tet *data.Tetraplet, agg *data.ServiceResultAgg, stored *data.Tetraplet) *execError {
	if argHash != agg.ArgumentHash {
		return errParamsMismatch("call argument_hash", argHash, agg.ArgumentHash)
	}
	if *tet != *stored {
		return errParamsMismatch("call tetraplet", tetDebug(tet), tetDebug(stored))
	}
	return nil
}

func (e *exec) callExecute(c *ast.Call, tet *data.Tetraplet) *execError {
	// Resolution has no side effects, so the arguments resolved for the hash also serve
	// the call request (AquaVM resolves them twice).
	args, err := e.collectArgs(c)
	argsReady := true
	if err != nil {
		if !err.joinable {
			return err
		}
		argsReady = false
	}
	var argHash string
	if argsReady {
		argHash = e.cids.argumentHash(args)
	}
	met, terr := e.trace.meetCallStart()
	if terr != nil {
		return errTrace(c.String(), terr)
	}
	var prevState *data.CallResult
	if met != nil {
		execNow, perr := e.handlePrevCall(c, met, tet, argHash, argsReady)
		if perr != nil || !execNow {
			return perr
		}
		prevState = &met.result
	}
	if tet.PeerPK != e.params.CurrentPeerID {
		e.nextPeers = append(e.nextPeers, tet.PeerPK)
		e.incomplete()
		e.trace.meetCallEnd(data.CallResult{Kind: data.CallSentBy, SenderPeer: e.params.CurrentPeerID})
		return nil
	}
	if !argsReady {
		if prevState != nil {
			e.trace.meetCallEnd(*prevState)
		}
		return err
	}
	tets := e.argTetraplets()
	e.lcid++
	id := e.lcid
	e.callRequests = append(e.callRequests, CallRequest{ID: id, ServiceID: tet.ServiceID, FunctionName: tet.FunctionName, Arguments: args, Tetraplets: tets})
	e.incomplete()
	e.trace.meetCallEnd(data.CallResult{Kind: data.CallSentBy, SenderPeer: e.params.CurrentPeerID, CallID: id, WithCallID: true})
	return nil
}

// handlePrevCall handles a call state met in the input traces; it reports whether the call
// must be executed now.
func (e *exec) handlePrevCall(c *ast.Call, met *metCall, tet *data.Tetraplet, argHash string, argsReady bool) (bool, *execError) {
	r := met.result
	switch r.Kind {
	case data.CallFailed:
		v, stored, a, err := e.cids.serviceInfo(r.FailedCID)
		if err != nil {
			return false, err
		}
		if !argsReady {
			return false, uncatchable(CodeInstructionParametersMismatch, "call arguments are not ready for a recorded call result")
		}
		if err := verifyCall(argHash, tet, a, stored); err != nil {
			return false, err
		}
		retCode, msg, ok := parseCallServiceFailed(v)
		if !ok {
			return false, uncatchable(CodeMalformedCallServiceFailed, "failed to deserialize to CallServiceFailed: invalid value %s", jv(v))
		}
		e.incomplete()
		e.recordCID(tet.PeerPK, r.FailedCID)
		e.trace.meetCallEnd(r)
		return false, errLocalService(retCode, msg)
	case data.CallSentBy:
		if r.WithCallID && r.SenderPeer == e.params.CurrentPeerID {
			res, ok := e.callResults[r.CallID]
			if !ok {
				e.incomplete()
				e.trace.meetCallEnd(r)
				return false, nil
			}
			delete(e.callResults, r.CallID)
			if !argsReady {
				return false, uncatchable(CodeInstructionParametersMismatch, "call arguments are not ready for a supplied call result")
			}
			return false, e.applyServiceResult(c, tet, argHash, res)
		}
		if tet.PeerPK == e.params.CurrentPeerID {
			return true, nil
		}
		e.incomplete()
		e.trace.meetCallEnd(r)
		return false, nil
	}
	// Executed.
	if !argsReady {
		return false, uncatchable(CodeInstructionParametersMismatch, "call arguments are not ready for a recorded call result")
	}
	vr := r.Value
	out := &c.Output
	switch {
	case out.Kind == ast.KindScalar && vr.Kind == data.ValueScalar, out.Kind == ast.KindStream && vr.Kind == data.ValueStream:
		v, stored, a, err := e.cids.serviceInfo(vr.CID)
		if err != nil {
			return false, err
		}
		if err := verifyCall(argHash, tet, a, stored); err != nil {
			return false, err
		}
		val := &agg{v: v, tet: tet, pos: met.tracePos, prov: provenance{kind: data.ProvenanceServiceResult, cid: vr.CID}}
		if out.Kind == ast.KindScalar {
			if err := e.scalars.set(out.Name, val); err != nil {
				return false, err
			}
		} else if err := e.checkGeneration(generation{source: met.source, idx: vr.Generation}); err != nil {
			return false, err
		} else if err := e.streams.add(out.Name, out.Pos, val, generation{source: met.source, idx: vr.Generation}); err != nil {
			return false, err
		}
		e.recordCID(tet.PeerPK, vr.CID)
	case out.Kind == ast.KindNone && vr.Kind == data.ValueUnused:
	default:
		return false, uncatchable(CodeCallResultNotCorrespondToInstr, "call result value %s doesn't match with corresponding instruction", valueRefDebug(vr))
	}
	e.trace.meetCallEnd(r)
	return false, nil
}

func parseCallServiceFailed(v value.Value) (int32, string, bool) {
	obj, ok := v.(*value.Object)
	if !ok {
		return 0, "", false
	}
	rc, ok := obj.Get("ret_code")
	if !ok {
		return 0, "", false
	}
	n, ok := rc.(value.Number)
	if !ok {
		return 0, "", false
	}
	i, ok := n.Int64()
	if !ok || i < -2147483648 || i > 2147483647 {
		return 0, "", false
	}
	m, ok := obj.Get("message")
	if !ok {
		return 0, "", false
	}
	s, ok := m.(string)
	if !ok {
		return 0, "", false
	}
	return int32(i), s, true
}

func failedValue(retCode int32, msg string) value.Value {
	o := value.NewObject(2)
	o.Set("ret_code", value.Int(int64(retCode)))
	o.Set("message", msg)
	return o
}

// applyServiceResult records a service's answer to a call request of this peer.
func (e *exec) applyServiceResult(c *ast.Call, tet *data.Tetraplet, argHash string, res CallResult) *execError {
	if res.RetCode != 0 {
		fc := e.cids.trackServiceResult(failedValue(res.RetCode, res.Result), tet, argHash)
		e.recordCID(tet.PeerPK, fc)
		e.trace.meetCallEnd(data.CallResult{Kind: data.CallFailed, FailedCID: fc})
		return errLocalService(res.RetCode, res.Result)
	}
	v, perr := value.ParseString(res.Result)
	if perr != nil {
		msg := "call_service result '" + callServiceResultDisplay(res) + "' can't be serialized or deserialized with an error: " + perr.Error()
		fc := e.cids.trackServiceResult(failedValue(2147483647, msg), tet, argHash)
		e.trace.meetCallEnd(data.CallResult{Kind: data.CallFailed, FailedCID: fc})
		return errLocalService(2147483647, msg)
	}
	pos := e.trace.tracePos()
	out := &c.Output
	var st data.CallResult
	switch out.Kind {
	case ast.KindScalar, ast.KindStream:
		sc, vc := e.cids.trackServiceResultValue(v, tet, argHash)
		val := e.agg(v, tet, pos, provenance{kind: data.ProvenanceServiceResult, cid: sc})
		val.vcid = vc
		if out.Kind == ast.KindScalar {
			if err := e.scalars.set(out.Name, val); err != nil {
				return err
			}
			st = data.CallResult{Kind: data.CallExecuted, Value: data.ValueRef{Kind: data.ValueScalar, CID: sc}}
		} else {
			if err := e.streams.add(out.Name, out.Pos, val, generation{isNew: true}); err != nil {
				return err
			}
			st = data.CallResult{Kind: data.CallExecuted, Value: data.ValueRef{Kind: data.ValueStream, CID: sc}}
		}
		e.recordCID(tet.PeerPK, sc)
	default:
		st = data.CallResult{Kind: data.CallExecuted, Value: data.ValueRef{Kind: data.ValueUnused, CID: cid.FromValue(v)}}
	}
	e.trace.meetCallEnd(st)
	return nil
}

// callServiceResultDisplay renders a call result as AquaVM's CallServiceResult Display.
func callServiceResultDisplay(r CallResult) string {
	return "ret_code: " + strconv.Itoa(int(r.RetCode)) + ", result: '" + r.Result + "'"
}
