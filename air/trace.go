package air

import (
	"fmt"

	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/slab"
)

// slider reads one input trace (prev or current) inside a window: from pos, at most
// subLen states of which seen are already consumed.
type slider struct {
	trace  []data.State
	pos    uint32
	subLen uint32
	seen   uint32
}

func newSlider(trace []data.State) slider {
	return slider{trace: trace, subLen: uint32(len(trace))}
}

func (s *slider) next() *data.State {
	if s.seen >= s.subLen || int(s.pos) >= len(s.trace) {
		return nil
	}
	st := &s.trace[s.pos]
	s.pos++
	s.seen++
	return st
}

func (s *slider) setPositionAndLen(pos, subLen uint32) error {
	if subLen != 0 && uint64(pos)+uint64(subLen) > uint64(len(s.trace)) {
		return fmt.Errorf("executed trace has %d elements, but tried to set %d subtrace_len and %d position", len(s.trace), subLen, pos)
	}
	s.pos = pos
	s.subLen = subLen
	s.seen = 0
	return nil
}

func (s *slider) setSubtraceLen(subLen uint32) error {
	remainder := int64(len(s.trace)) - int64(s.pos)
	if remainder < int64(subLen) {
		return fmt.Errorf("executed trace has %d elements and current position is %d, but tried to set %d subtrace_len", len(s.trace), s.pos, subLen)
	}
	s.seen = 0
	s.subLen = subLen
	return nil
}

func (s *slider) subtraceLen() uint32 { return s.subLen - s.seen }

// generationAt returns the stream generation recorded by the state at pos.
func (s *slider) generationAt(pos uint32) (uint32, error) {
	if int(pos) >= len(s.trace) {
		return 0, fmt.Errorf("requested an element at position '%d', but executed trace contains only '%d' elements", pos, len(s.trace))
	}
	st := &s.trace[pos]
	switch {
	case st.Kind == data.StateCall && st.Call.Kind == data.CallExecuted && st.Call.Value.Kind == data.ValueStream:
		return st.Call.Value.Generation, nil
	case st.Kind == data.StateAp:
		if len(st.Gens) == 0 {
			return 0, fmt.Errorf("expected a state of CallResult(Value::Stream) or Ap types but '%s' obtained", stateDebug(st))
		}
		return st.Gens[0], nil
	}
	return 0, fmt.Errorf("expected a state of CallResult(Value::Stream) or Ap types but '%s' obtained", stateDebug(st))
}

// valueSource tells which input data a merged state (and so a stream value) came from.
type valueSource uint8

const (
	fromPrev valueSource = iota
	fromCurrent
)

type scheme uint8

const (
	schemePrev scheme = iota
	schemeCurrent
	schemeBoth
)

func (s scheme) source() valueSource {
	if s == schemeCurrent {
		return fromCurrent
	}
	return fromPrev
}

// bimap is a one-to-one map between result positions and input positions. Positions
// are dense, so both directions are slices holding position+1 (0: none).
type bimap struct {
	l2r []uint32
	r2l []uint32
}

func grow(s []uint32, i uint32) []uint32 {
	if int(i) < len(s) {
		return s
	}
	n := max(int(i)+1, 2*len(s), 16)
	return append(s, make([]uint32, n-len(s))...)
}

func (b *bimap) insert(l, r uint32) {
	b.l2r = grow(b.l2r, l)
	b.r2l = grow(b.r2l, r)
	if old := b.l2r[l]; old != 0 {
		b.r2l[old-1] = 0
	}
	if old := b.r2l[r]; old != 0 {
		b.l2r[old-1] = 0
	}
	b.l2r[l] = r + 1
	b.r2l[r] = l + 1
}

func (b *bimap) get(l uint32) (uint32, bool) {
	if int(l) >= len(b.l2r) || b.l2r[l] == 0 {
		return 0, false
	}
	return b.l2r[l] - 1, true
}

// traceHandler merges the prev and current traces while the script runs and builds the
// result trace, as AquaVM's trace handler does.
type traceHandler struct {
	prev, cur slider
	newToPrev bimap
	newToCur  bimap
	result    []data.State
	parStack  []parFSM
	folds     map[uint32]*foldFSM
	gens      []uint32           // backing store of the one-element generation lists of ap states
	metCalls  slab.Slab[metCall] // the call states handed to the interpreter
}

func newTraceHandler(prev, cur []data.State) *traceHandler {
	return &traceHandler{prev: newSlider(prev), cur: newSlider(cur)}
}

// push appends a state to the new trace, which is given room for both input traces
// (and a few more) when its first state comes: a script that replays them needs that
// much, one that writes nothing (null) allocates nothing.
//
// Beyond that it doubles: states are large (184 bytes), and append's gentler growth
// for long slices copies (and clears) them many times over.
func (t *traceHandler) push(s data.State) {
	if len(t.result) == cap(t.result) {
		n := max(2*cap(t.result), len(t.prev.trace)+len(t.cur.trace)+8, 64)
		r := data.NewTrace(n)[:len(t.result)]
		copy(r, t.result)
		data.RecycleTrace(t.result)
		t.result = r
	}
	t.result = append(t.result, s)
}

func (t *traceHandler) tracePos() uint32 { return uint32(len(t.result)) }

func (t *traceHandler) mapPositions(s scheme) {
	newPos := uint32(len(t.result))
	switch s {
	case schemePrev:
		t.newToPrev.insert(newPos, t.prev.pos-1)
	case schemeCurrent:
		t.newToCur.insert(newPos, t.cur.pos-1)
	case schemeBoth:
		t.newToPrev.insert(newPos, t.prev.pos-1)
		t.newToCur.insert(newPos, t.cur.pos-1)
	}
}

func incompatibleStates(p, c *data.State, expected string) error {
	switch {
	case p != nil && c != nil:
		return fmt.Errorf("previous and current data have incompatible states: '%s' '%s'", stateDebug(p), stateDebug(c))
	case p != nil:
		return fmt.Errorf("state from previous `%s` is incompatible with expected %s", stateDebug(p), expected)
	default:
		return fmt.Errorf("state from current `%s` is incompatible with expected %s", stateDebug(c), expected)
	}
}

// metCall is a call state found in the input traces.
type metCall struct {
	result   data.CallResult
	tracePos uint32
	source   valueSource
}

func (t *traceHandler) meetCallStart() (*metCall, error) {
	p, c := t.prev.next(), t.cur.next()
	pc := p != nil && p.Kind == data.StateCall
	cc := c != nil && c.Kind == data.StateCall
	var merged data.CallResult
	var sch scheme
	switch {
	case pc && cc:
		var err error
		merged, sch, err = mergeCalls(p.Call, c.Call)
		if err != nil {
			return nil, err
		}
	case p == nil && cc:
		merged, sch = c.Call, schemeCurrent
	case pc && c == nil:
		merged, sch = p.Call, schemePrev
	case p == nil && c == nil:
		return nil, nil
	default:
		return nil, incompatibleStates(p, c, "call")
	}
	pos := t.tracePos()
	t.mapPositions(sch)
	m := t.metCalls.New()
	*m = metCall{result: merged, tracePos: pos, source: sch.source()}
	return m, nil
}

func mergeCalls(p, c data.CallResult) (data.CallResult, scheme, error) {
	incompatible := func() error {
		return fmt.Errorf("previous and current call results are incompatible: '%s' '%s'", callDebug(&p), callDebug(&c))
	}
	switch {
	case p.Kind == data.CallFailed && c.Kind == data.CallFailed:
		if p != c {
			return p, schemePrev, incompatible()
		}
		return p, schemePrev, nil
	case p.Kind == data.CallSentBy && c.Kind == data.CallFailed:
		return c, schemeCurrent, nil
	case p.Kind == data.CallFailed && c.Kind == data.CallSentBy:
		return p, schemePrev, nil
	case p.Kind == data.CallSentBy && c.Kind == data.CallSentBy:
		return p, schemePrev, nil
	case p.Kind == data.CallSentBy && c.Kind == data.CallExecuted:
		return c, schemeCurrent, nil
	case p.Kind == data.CallExecuted && c.Kind == data.CallSentBy:
		return p, schemePrev, nil
	case p.Kind == data.CallExecuted && c.Kind == data.CallExecuted:
		pv, cv := p.Value, c.Value
		equal := false
		switch {
		case pv.Kind == data.ValueScalar && cv.Kind == data.ValueScalar, pv.Kind == data.ValueUnused && cv.Kind == data.ValueUnused:
			equal = pv == cv
		case pv.Kind == data.ValueStream && cv.Kind == data.ValueStream:
			equal = pv.CID == cv.CID
		}
		if !equal {
			return p, schemeBoth, fmt.Errorf("values in call results are not equal: %s != %s", valueRefDebug(pv), valueRefDebug(cv))
		}
		return p, schemeBoth, nil
	}
	return p, schemePrev, incompatible()
}

func (t *traceHandler) meetCallEnd(r data.CallResult) {
	t.push(data.State{Kind: data.StateCall, Call: r})
}

// metAp is an ap state found in the input traces.
type metAp struct {
	generation uint32
	source     valueSource
}

func (t *traceHandler) meetApStart() (*metAp, error) {
	p, c := t.prev.next(), t.cur.next()
	pa := p != nil && p.Kind == data.StateAp
	ca := c != nil && c.Kind == data.StateAp
	var st *data.State
	var sch scheme
	switch {
	case pa && ca:
		st, sch = p, schemeBoth
	case pa && c == nil:
		st, sch = p, schemePrev
	case p == nil && ca:
		st, sch = c, schemeCurrent
	case p == nil && c == nil:
		return nil, nil
	default:
		return nil, incompatibleStates(p, c, "ap")
	}
	t.mapPositions(sch)
	if len(st.Gens) != 1 {
		return nil, fmt.Errorf("%s ap result contains inappropriate generation count in destination", stateDebug(st))
	}
	return &metAp{generation: st.Gens[0], source: sch.source()}, nil
}

func (t *traceHandler) meetApEnd() {
	if len(t.gens) == 0 {
		t.gens = make([]uint32, 256)
	}
	g := t.gens[:1:1]
	t.gens = t.gens[1:]
	t.push(data.State{Kind: data.StateAp, Gens: g})
}

func (t *traceHandler) meetCanonStart() (*data.CanonResult, error) {
	p, c := t.prev.next(), t.cur.next()
	pc := p != nil && p.Kind == data.StateCanon
	cc := c != nil && c.Kind == data.StateCanon
	switch {
	case pc && cc:
		pr, cr := p.Canon, c.Canon
		switch {
		case pr.Executed && cr.Executed && pr.CID != cr.CID:
			return nil, fmt.Errorf("canon results %s %s points to incompatible execution states", canonDebug(&pr), canonDebug(&cr))
		case !pr.Executed && cr.Executed:
			return &cr, nil
		}
		return &pr, nil
	case pc && c == nil:
		r := p.Canon
		return &r, nil
	case p == nil && cc:
		r := c.Canon
		return &r, nil
	case p == nil && c == nil:
		return nil, nil
	}
	return nil, incompatibleStates(p, c, "canon")
}

func (t *traceHandler) meetCanonEnd(r data.CanonResult) {
	t.push(data.State{Kind: data.StateCanon, Canon: r})
}

// insertPlaceholder reserves a result position for a state written later (par, fold).
func (t *traceHandler) insertPlaceholder() uint32 {
	pos := uint32(len(t.result))
	t.push(data.State{Kind: data.StatePar})
	return pos
}

type ctxState struct{ pos, subLen uint32 }

func (t *traceHandler) updateCtxStates(p, c ctxState) {
	_ = t.prev.setPositionAndLen(p.pos, p.subLen)
	_ = t.cur.setPositionAndLen(c.pos, c.subLen)
}

// parFSM drives the sliders through the two branches of a par.
type parFSM struct {
	prevLeft, prevRight uint32
	curLeft, curRight   uint32
	inserterPos         uint32
	leftPrev, leftCur   ctxState
	rightPrev, rightCur ctxState
	savedCount          int
	leftSize, rightSize int
}

func parNewState(left, right uint32, s *slider, right_ bool) (ctxState, error) {
	var subgraph uint32
	if right_ {
		sum := uint64(left) + uint64(right)
		if sum > 0xFFFFFFFF {
			return ctxState{}, fmt.Errorf("overflow is occurred while calculating the entire len occupied by executed states corresponded to current par: 'ParResult { left_size: %d, right_size: %d }'", left, right)
		}
		subgraph = uint32(sum)
	} else {
		subgraph = left
	}
	newPos := uint64(s.pos) + uint64(subgraph)
	if newPos > 0xFFFFFFFF {
		return ctxState{}, fmt.Errorf("overflow is occurred while calculating the new position of a slider for resolved par")
	}
	if !right_ {
		return ctxState{pos: uint32(newPos), subLen: subgraph}, nil
	}
	rem := s.subtraceLen()
	if rem < subgraph {
		return ctxState{}, fmt.Errorf("underflow is occurred while calculating the new position of a current slider for resolved par ParResult { left_size: %d, right_size: %d } and current subtrace len %d'", left, right, rem)
	}
	return ctxState{pos: uint32(newPos), subLen: rem - subgraph}, nil
}

// meetParStart starts a par: it takes the par states of the input traces and keeps the
// new trace's place for the par state. It is not inlined (nor meetParSubgraphEnd): par
// recurses, and its frame would grow by theirs.
//
//go:noinline
func (t *traceHandler) meetParStart() error {
	p, c := t.prev.next(), t.cur.next()
	pp := p != nil && p.Kind == data.StatePar
	cp := c != nil && c.Kind == data.StatePar
	var f parFSM
	switch {
	case pp && cp:
		f.prevLeft, f.prevRight, f.curLeft, f.curRight = p.Left, p.Right, c.Left, c.Right
	case p == nil && cp:
		f.curLeft, f.curRight = c.Left, c.Right
	case pp && c == nil:
		f.prevLeft, f.prevRight = p.Left, p.Right
	case p == nil && c == nil:
	default:
		return incompatibleStates(p, c, "par")
	}
	f.inserterPos = t.insertPlaceholder()
	var err error
	if f.leftPrev, err = parNewState(f.prevLeft, f.prevRight, &t.prev, false); err != nil {
		return err
	}
	if f.leftCur, err = parNewState(f.curLeft, f.curRight, &t.cur, false); err != nil {
		return err
	}
	if f.rightPrev, err = parNewState(f.prevLeft, f.prevRight, &t.prev, true); err != nil {
		return err
	}
	if f.rightCur, err = parNewState(f.curLeft, f.curRight, &t.cur, true); err != nil {
		return err
	}
	f.savedCount = len(t.result)
	if err := t.prev.setSubtraceLen(f.prevLeft); err != nil {
		return err
	}
	if err := t.cur.setSubtraceLen(f.curLeft); err != nil {
		return err
	}
	t.parStack = append(t.parStack, f)
	return nil
}

//go:noinline
func (t *traceHandler) meetParSubgraphEnd(right bool) error {
	if len(t.parStack) == 0 {
		return fmt.Errorf("par queue is empty, while par FSM is requested")
	}
	f := &t.parStack[len(t.parStack)-1] // valid until the next meetParStart
	n := len(t.result)
	if !right {
		f.leftSize = n - f.savedCount
		f.savedCount = n
		t.updateCtxStates(f.leftPrev, f.leftCur)
		_ = t.prev.setSubtraceLen(f.prevRight)
		_ = t.cur.setSubtraceLen(f.curRight)
		return nil
	}
	t.parStack = t.parStack[:len(t.parStack)-1]
	f.rightSize = n - f.savedCount
	t.result[f.inserterPos] = data.State{Kind: data.StatePar, Left: uint32(f.leftSize), Right: uint32(f.rightSize)}
	t.updateCtxStates(f.rightPrev, f.rightCur)
	return nil
}

// resolvedLore is a fold lore entry with its subtrace lengths resolved for replay.
type resolvedLore struct {
	before, after data.SubTraceDesc
}

type resolvedFold struct {
	lore        map[uint32]*resolvedLore
	statesCount uint32
}

func resolveFoldLore(f *data.State, s *slider) (resolvedFold, error) {
	lore := f.Lore
	type lens struct{ before, after uint32 }
	ls := make([]lens, 0, len(lore))
	var count uint64
	var lastGen uint32
	lastGenPos := 0
	var cumAfter uint32
	computeBefore := func(begin, end int) {
		var cum uint32
		after := ls[end].after
		for i := end; i >= begin; i-- {
			cum += ls[i].before
			ls[i].before = cum + after
		}
	}
	for i := range lore {
		l := &lore[i]
		if len(l.Desc) != 2 {
			return resolvedFold{}, fmt.Errorf("fold contains %d sublore descriptors, but 2 is expected", len(l.Desc))
		}
		gen, err := s.generationAt(l.ValuePos)
		if err != nil {
			return resolvedFold{}, err
		}
		if lastGen != gen {
			if i > 0 {
				computeBefore(lastGenPos, i-1)
			}
			lastGen = gen
			lastGenPos = i
			cumAfter = 0
		}
		b, a := l.Desc[0].Len, l.Desc[1].Len
		count += uint64(b) + uint64(a)
		if count > 0xFFFFFFFF {
			return resolvedFold{}, fmt.Errorf("the first %d subtrace descriptors lens of fold %s overflows", i, stateDebug(f))
		}
		cumAfter += a
		ls = append(ls, lens{b, cumAfter})
	}
	if len(lore) > 0 {
		computeBefore(lastGenPos, len(lore)-1)
	}
	out := resolvedFold{lore: make(map[uint32]*resolvedLore, len(lore)), statesCount: uint32(count)}
	for i := range lore {
		l := &lore[i]
		if _, dup := out.lore[l.ValuePos]; dup {
			return resolvedFold{}, fmt.Errorf("%s contains several subtraces with the same value_pos %d", stateDebug(f), l.ValuePos)
		}
		out.lore[l.ValuePos] = &resolvedLore{
			before: data.SubTraceDesc{BeginPos: l.Desc[0].BeginPos, Len: ls[i].before},
			after:  data.SubTraceDesc{BeginPos: l.Desc[1].BeginPos, Len: ls[i].after},
		}
	}
	return out, nil
}

type ctorState uint8

const (
	beforeStarted ctorState = iota
	beforeCompleted
	afterStarted
	afterCompleted
)

type loreCtor struct {
	valuePos               uint32
	beforeStart, beforeEnd uint32
	afterStart, afterEnd   uint32
	state                  ctorState
	prevLore, curLore      *resolvedLore
}

func (c *loreCtor) advance() {
	if c.state < afterCompleted {
		c.state++
	}
}

// foldFSM records the lore of a stream fold and replays the recorded subtraces.
type foldFSM struct {
	prevFold, curFold resolvedFold
	inserterPos       uint32
	finalPrev         ctxState
	finalCur          ctxState
	queue             []*loreCtor
	backPos           int
	backStarted       bool
	resultLore        []data.FoldLore
}

func foldFinalState(f *resolvedFold, s *slider) (ctxState, error) {
	pos := uint64(s.pos) + uint64(f.statesCount)
	if pos > 0xFFFFFFFF {
		return ctxState{}, fmt.Errorf("overflow is occurred while calculating the new position of a slider for resolved fold")
	}
	rem := s.subtraceLen()
	if rem < f.statesCount {
		return ctxState{}, fmt.Errorf("underflow is occurred while calculating the new position of a slider for resolved fold and current subtrace len %d'", rem)
	}
	return ctxState{pos: uint32(pos), subLen: rem - f.statesCount}, nil
}

func (t *traceHandler) meetFoldStart(foldID uint32) error {
	p, c := t.prev.next(), t.cur.next()
	pf := p != nil && p.Kind == data.StateFold
	cf := c != nil && c.Kind == data.StateFold
	f := &foldFSM{}
	var err error
	switch {
	case pf && cf:
		if f.prevFold, err = resolveFoldLore(p, &t.prev); err != nil {
			return err
		}
		if f.curFold, err = resolveFoldLore(c, &t.cur); err != nil {
			return err
		}
	case p == nil && cf:
		if f.curFold, err = resolveFoldLore(c, &t.cur); err != nil {
			return err
		}
	case pf && c == nil:
		if f.prevFold, err = resolveFoldLore(p, &t.prev); err != nil {
			return err
		}
	case p == nil && c == nil:
	default:
		return incompatibleStates(p, c, "fold")
	}
	f.inserterPos = t.insertPlaceholder()
	if f.finalPrev, err = foldFinalState(&f.prevFold, &t.prev); err != nil {
		return err
	}
	if f.finalCur, err = foldFinalState(&f.curFold, &t.cur); err != nil {
		return err
	}
	if t.folds == nil {
		t.folds = map[uint32]*foldFSM{}
	}
	t.folds[foldID] = f
	return nil
}

func (t *traceHandler) fold(foldID uint32) (*foldFSM, error) {
	f := t.folds[foldID]
	if f == nil {
		return nil, fmt.Errorf("fold FSM for fold id %d wasn't found", foldID)
	}
	return f, nil
}

func applyLore(s *slider, l *resolvedLore, after bool) error {
	if l == nil {
		return s.setSubtraceLen(0)
	}
	d := l.before
	if after {
		d = l.after
	}
	return s.setPositionAndLen(d.BeginPos, d.Len)
}

func (t *traceHandler) meetIterationStart(foldID, valuePos uint32) error {
	f, err := t.fold(foldID)
	if err != nil {
		return err
	}
	var pl, cl *resolvedLore
	if pp, ok := t.newToPrev.get(valuePos); ok {
		if l, ok := f.prevFold.lore[pp]; ok {
			pl = l
			delete(f.prevFold.lore, pp)
		}
	}
	if cp, ok := t.newToCur.get(valuePos); ok {
		if l, ok := f.curFold.lore[cp]; ok {
			cl = l
			delete(f.curFold.lore, cp)
		}
	}
	if err := applyLore(&t.prev, pl, false); err != nil {
		return err
	}
	if err := applyLore(&t.cur, cl, false); err != nil {
		return err
	}
	f.queue = append(f.queue, &loreCtor{valuePos: valuePos, beforeStart: t.tracePos(), prevLore: pl, curLore: cl})
	f.backPos++
	return nil
}

func (t *traceHandler) meetIterationEnd(foldID uint32) error {
	f, err := t.fold(foldID)
	if err != nil {
		return err
	}
	c := f.queue[f.backPos-1]
	c.beforeEnd = t.tracePos()
	c.advance()
	return nil
}

func (t *traceHandler) meetBackIterator(foldID uint32) error {
	f, err := t.fold(foldID)
	if err != nil {
		return err
	}
	c := f.queue[f.backPos-1]
	if !f.backStarted {
		if c.state == beforeStarted {
			c.beforeEnd = t.tracePos()
			c.advance()
		}
		c.afterStart = t.tracePos()
		c.advance()
		if err := applyLore(&t.prev, c.prevLore, true); err != nil {
			return err
		}
		if err := applyLore(&t.cur, c.curLore, true); err != nil {
			return err
		}
		f.backStarted = true
		return nil
	}
	c.afterEnd = t.tracePos()
	c.advance()
	f.backPos--
	c = f.queue[f.backPos-1]
	c.afterStart = t.tracePos()
	c.advance()
	if err := applyLore(&t.prev, c.prevLore, true); err != nil {
		return err
	}
	return applyLore(&t.cur, c.curLore, true)
}

func (t *traceHandler) meetGenerationEnd(foldID uint32) error {
	f, err := t.fold(foldID)
	if err != nil {
		return err
	}
	pos := t.tracePos()
	for _, c := range f.queue {
		switch c.state {
		case beforeStarted:
			c.beforeEnd, c.afterStart, c.afterEnd = pos, pos, pos
		case beforeCompleted:
			c.afterStart, c.afterEnd = pos, pos
		case afterStarted:
			c.afterEnd = pos
		}
		c.state = afterCompleted
	}
	f.backPos = 0
	f.backStarted = false
	for _, c := range f.queue {
		f.resultLore = append(f.resultLore, data.FoldLore{
			ValuePos: c.valuePos,
			Desc: []data.SubTraceDesc{
				{BeginPos: c.beforeStart, Len: c.beforeEnd - c.beforeStart},
				{BeginPos: c.afterStart, Len: c.afterEnd - c.afterStart},
			},
		})
	}
	f.queue = f.queue[:0]
	return nil
}

func (t *traceHandler) meetFoldEnd(foldID uint32) error {
	f, err := t.fold(foldID)
	if err != nil {
		return err
	}
	delete(t.folds, foldID)
	t.result[f.inserterPos] = data.State{Kind: data.StateFold, Lore: f.resultLore}
	t.updateCtxStates(f.finalPrev, f.finalCur)
	return nil
}

// updateGeneration rewrites the generation of the stream-producing state at pos.
func (t *traceHandler) updateGeneration(pos, gen uint32) error {
	if int(pos) >= len(t.result) {
		return fmt.Errorf("trying to change generation of an invalid trace position %d", pos)
	}
	st := &t.result[pos]
	switch {
	case st.Kind == data.StateAp && len(st.Gens) == 1:
		st.Gens[0] = gen
	case st.Kind == data.StateAp:
		st.Gens = []uint32{gen}
	case st.Kind == data.StateCall && st.Call.Kind == data.CallExecuted && st.Call.Value.Kind == data.ValueStream:
		st.Call.Value.Generation = gen
	default:
		return fmt.Errorf("trying to change generation of a state %s on %d position, the state doesn't contain generation", stateDebug(st), pos)
	}
	return nil
}

// Debug renderings of states, close to the Rust Debug output AquaVM embeds in trace errors.

func stateDebug(s *data.State) string {
	switch s.Kind {
	case data.StatePar:
		return fmt.Sprintf("Par(ParResult { left_size: %d, right_size: %d })", s.Left, s.Right)
	case data.StateCall:
		return "Call(" + callDebug(&s.Call) + ")"
	case data.StateFold:
		return fmt.Sprintf("Fold(FoldResult { lore: %v })", s.Lore)
	case data.StateAp:
		return fmt.Sprintf("Ap(ApResult { res_generations: %v })", s.Gens)
	case data.StateCanon:
		return "Canon(" + canonDebug(&s.Canon) + ")"
	}
	return "?"
}

func callDebug(c *data.CallResult) string {
	switch c.Kind {
	case data.CallSentBy:
		if c.WithCallID {
			return fmt.Sprintf("RequestSentBy(PeerIdWithCallId { peer_id: %q, call_id: %d })", c.SenderPeer, c.CallID)
		}
		return fmt.Sprintf("RequestSentBy(PeerId(%q))", c.SenderPeer)
	case data.CallExecuted:
		return "Executed(" + valueRefDebug(c.Value) + ")"
	}
	return fmt.Sprintf("Failed(CID(%q))", c.FailedCID)
}

func valueRefDebug(v data.ValueRef) string {
	switch v.Kind {
	case data.ValueScalar:
		return fmt.Sprintf("Scalar(CID(%q))", v.CID)
	case data.ValueStream:
		return fmt.Sprintf("Stream { cid: CID(%q), generation: %d }", v.CID, v.Generation)
	}
	return fmt.Sprintf("Unused(CID(%q))", v.CID)
}

func canonDebug(c *data.CanonResult) string {
	if c.Executed {
		return fmt.Sprintf("Executed(CID(%q))", c.CID)
	}
	return fmt.Sprintf("RequestSentBy(%q)", c.PeerID)
}
