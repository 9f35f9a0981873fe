package air

import (
	"strconv"

	"github.com/cascadep2p/cascade/air/ast"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/value"
)

// streamMaxSize is the number of values a stream may hold (AquaVM's STREAM_MAX_SIZE).
const streamMaxSize = 1024

// provenance tells where a value came from: a literal, a service result or a canon.
type provenance struct {
	kind data.ProvenanceKind
	cid  string
}

var literalProvenance = provenance{kind: data.ProvenanceLiteral}

// agg is a value with its security tetraplet, the trace position that produced it and its
// provenance (AquaVM's ValueAggregate).
type agg struct {
	v    value.Value
	tet  *data.Tetraplet
	pos  uint32
	prov provenance
	vcid string // CID of v when this run computed it from v itself, else ""
}

// newAgg builds a value aggregate the way AquaVM's ValueAggregate::new does: literals keep
// only the tetraplet's peer, canon results its peer and lens.
func newAgg(v value.Value, tet *data.Tetraplet, pos uint32, prov provenance) *agg {
	return &agg{v: v, tet: normTet(tet, prov), pos: pos, prov: prov}
}

// normTet is the tetraplet an aggregate of that provenance keeps.
func normTet(tet *data.Tetraplet, prov provenance) *data.Tetraplet {
	switch prov.kind {
	case data.ProvenanceLiteral:
		if tet.ServiceID != "" || tet.FunctionName != "" || tet.Lens != "" {
			tet = &data.Tetraplet{PeerPK: tet.PeerPK}
		}
	case data.ProvenanceCanon:
		if tet.ServiceID != "" || tet.FunctionName != "" {
			tet = &data.Tetraplet{PeerPK: tet.PeerPK, Lens: tet.Lens}
		}
	}
	return tet
}

// valuesMatrix is a list of generations of stream values.
type valuesMatrix struct {
	gens [][]*agg
	size int
}

func (m *valuesMatrix) addToGeneration(v *agg, gen uint32) {
	for uint32(len(m.gens)) <= gen {
		m.gens = append(m.gens, nil)
	}
	m.gens[gen] = append(m.gens[gen], v)
	m.size++
}

func (m *valuesMatrix) removeEmpty() {
	out := m.gens[:0]
	for _, g := range m.gens {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	for i := len(out); i < len(m.gens); i++ {
		m.gens[i] = nil
	}
	m.gens = out
}

// nonEmptyFrom returns the non-empty generations after skipping skip of them.
func (m *valuesMatrix) nonEmptyFrom(skip int, out [][]*agg) [][]*agg {
	for _, g := range m.gens {
		if len(g) == 0 {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, g)
	}
	return out
}

// stream holds the generations of a stream from prev data, current data and this run.
type stream struct {
	prev, cur, new valuesMatrix
}

// generation tells where a stream value goes.
type generation struct {
	isNew  bool
	source valueSource
	idx    uint32
}

func (s *stream) add(v *agg, g generation) *execError {
	switch {
	case g.isNew:
		last := 0
		if len(s.new.gens) > 0 {
			last = len(s.new.gens) - 1
		}
		s.new.addToGeneration(v, uint32(last))
	case g.source == fromPrev:
		s.prev.addToGeneration(v, g.idx)
	default:
		s.cur.addToGeneration(v, g.idx)
	}
	if s.prev.size+s.cur.size+s.new.size >= streamMaxSize {
		return errStreamSizeLimit()
	}
	return nil
}

func (s *stream) all(out []*agg) []*agg {
	for _, m := range []*valuesMatrix{&s.prev, &s.cur, &s.new} {
		for _, g := range m.gens {
			out = append(out, g...)
		}
	}
	return out
}

type streamCursor struct{ prev, cur, new int }

func (s *stream) cursor() streamCursor {
	return streamCursor{len(s.prev.gens), len(s.cur.gens), len(s.new.gens)}
}

func (s *stream) sliceFrom(c streamCursor) [][]*agg {
	var out [][]*agg
	out = s.prev.nonEmptyFrom(c.prev, out)
	out = s.cur.nonEmptyFrom(c.cur, out)
	out = s.new.nonEmptyFrom(c.new, out)
	return out
}

func (s *stream) compactify(t *traceHandler) *execError {
	s.prev.removeEmpty()
	s.cur.removeEmpty()
	s.new.removeEmpty()
	gen := uint32(0)
	for _, m := range []*valuesMatrix{&s.prev, &s.cur, &s.new} {
		for _, g := range m.gens {
			for _, v := range g {
				if err := t.updateGeneration(v.pos, gen); err != nil {
					return uncatchable(CodeGenerationCompactificationError, "%s", err.Error())
				}
			}
			gen++
		}
	}
	return nil
}

// streamDesc is a stream visible inside span (the whole script for global streams).
type streamDesc struct {
	span ast.Span
	s    *stream
}

// streams holds every stream (or every stream map) of a run by name; restricted streams
// created by new shadow the outer ones inside their span.
type streams struct {
	m map[string][]streamDesc
}

var globalSpan = ast.Span{Left: 0, Right: ast.Pos(int(^uint(0) >> 1))}

func (ss *streams) get(name string, pos ast.Pos) *stream {
	ds := ss.m[name]
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].span.Contains(pos) {
			return ds[i].s
		}
	}
	return nil
}

func (ss *streams) add(name string, pos ast.Pos, v *agg, g generation) *execError {
	if s := ss.get(name, pos); s != nil {
		return s.add(v, g)
	}
	s := &stream{}
	err := s.add(v, g)
	if ss.m == nil {
		ss.m = map[string][]streamDesc{}
	}
	ss.m[name] = []streamDesc{{span: globalSpan, s: s}}
	return err
}

func (ss *streams) scopeStart(name string, span ast.Span) {
	if ss.m == nil {
		ss.m = map[string][]streamDesc{}
	}
	ss.m[name] = append(ss.m[name], streamDesc{span: span, s: &stream{}})
}

func (ss *streams) scopeEnd(name string, t *traceHandler) *execError {
	ds := ss.m[name]
	if len(ds) == 0 {
		return nil
	}
	last := ds[len(ds)-1]
	if len(ds) == 1 {
		delete(ss.m, name)
	} else {
		ss.m[name] = ds[:len(ds)-1]
	}
	return last.s.compactify(t)
}

func (ss *streams) compactify(t *traceHandler) *execError {
	for _, ds := range ss.m {
		for _, d := range ds {
			if err := d.s.compactify(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// sparse is AquaVM's values sparse matrix: scalar bindings stacked per fold depth.
type sparse[T any] struct {
	cells   map[string][]sparseCell[T]
	allowed []bool // allowed[d]: values set at fold depth d are visible
	depth   int
	deepest int // no cell is deeper than this (an upper bound)
}

type sparseCell[T any] struct {
	depth int
	value *T
}

func newSparse[T any]() sparse[T] {
	return sparse[T]{cells: map[string][]sparseCell[T]{}, allowed: []bool{true}}
}

func (m *sparse[T]) couldBeSet(name string) bool {
	if m.depth != 0 {
		return true
	}
	cs, ok := m.cells[name]
	return ok && cs[len(cs)-1].value == nil
}

func (m *sparse[T]) set(name string, v *T) *execError {
	m.deepest = max(m.deepest, m.depth)
	cs, ok := m.cells[name]
	if !ok {
		m.cells[name] = []sparseCell[T]{{depth: m.depth, value: v}}
		return nil
	}
	if !m.couldBeSet(name) {
		return errShadowing(name)
	}
	last := &cs[len(cs)-1]
	if last.depth == m.depth {
		last.value = v
		return nil
	}
	m.cells[name] = append(cs, sparseCell[T]{depth: m.depth, value: v})
	return nil
}

// get returns (value, found): found=false means "not defined" (VariableNotFound), a nil
// value with found=true means "cleared by new".
func (m *sparse[T]) get(name string) (*T, bool) {
	cs, ok := m.cells[name]
	if !ok {
		return nil, false
	}
	last := cs[len(cs)-1]
	if last.depth >= len(m.allowed) || !m.allowed[last.depth] {
		return nil, false
	}
	return last.value, true
}

func (m *sparse[T]) allow(d int, ok bool) {
	for len(m.allowed) <= d {
		m.allowed = append(m.allowed, false)
	}
	m.allowed[d] = ok
}

func (m *sparse[T]) foldStart() {
	m.depth++
	m.allow(m.depth, true)
}

func (m *sparse[T]) nextBefore() {
	m.allow(m.depth, false)
	m.depth++
	m.allow(m.depth, true)
}

func (m *sparse[T]) nextAfter() {
	m.allow(m.depth, false)
	m.depth--
	m.allow(m.depth, true)
	m.cleanup()
}

func (m *sparse[T]) foldEnd() {
	m.allow(m.depth, false)
	m.depth--
	m.cleanup()
}

func (m *sparse[T]) cleanup() {
	if m.deepest <= m.depth {
		return // nothing was set deeper than the current depth: no map walk per iteration
	}
	m.deepest = 0
	for name, cs := range m.cells {
		d := cs[len(cs)-1].depth
		if d != 0 && d > m.depth {
			if len(cs) == 1 {
				delete(m.cells, name)
				continue
			}
			cs = cs[:len(cs)-1]
			m.cells[name] = cs
		}
		m.deepest = max(m.deepest, cs[len(cs)-1].depth) // cells of a name get deeper up the stack
	}
}

func (m *sparse[T]) newStart(name string) {
	m.deepest = max(m.deepest, m.depth)
	m.cells[name] = append(m.cells[name], sparseCell[T]{depth: m.depth})
}

func (m *sparse[T]) newEnd(name string) *execError {
	cs, ok := m.cells[name]
	corrupted := func() *execError {
		return uncatchable(CodeScalarsStateCorrupted, "new end block tries to pop up a variable '%s' that wasn't defined at depth %d", name, m.depth)
	}
	if !ok {
		return corrupted()
	}
	if len(cs) > 1 {
		last := cs[len(cs)-1]
		m.cells[name] = cs[:len(cs)-1]
		if last.depth != m.depth {
			return corrupted()
		}
		return nil
	}
	if cs[0].depth == m.depth {
		delete(m.cells, name)
		return nil
	}
	return corrupted()
}

// canonStream is an immutable snapshot of a stream, with the canon's own tetraplet.
type canonStream struct {
	values []*agg
	tet    *data.Tetraplet
	cid    string
}

func (c *canonStream) asValue() value.Value {
	arr := make([]value.Value, len(c.values))
	for i, v := range c.values {
		arr[i] = v.v
	}
	return arr
}

// mapKey is a stream map key: a string or an integer.
type mapKey struct {
	isStr bool
	isU64 bool
	s     string
	i     int64
	u     uint64
}

func mapKeyFromValue(v value.Value) (mapKey, bool) {
	switch x := v.(type) {
	case string:
		return mapKey{isStr: true, s: x}, true
	case value.Number:
		if i, ok := x.Int64(); ok {
			return mapKey{i: i}, true
		}
		if u, ok := x.Uint64(); ok {
			return mapKey{isU64: true, u: u}, true
		}
	}
	return mapKey{}, false
}

func (k mapKey) String() string {
	switch {
	case k.isStr:
		return k.s
	case k.isU64:
		return strconv.FormatUint(k.u, 10)
	}
	return strconv.FormatInt(k.i, 10)
}

func (k mapKey) value() value.Value {
	switch {
	case k.isStr:
		return k.s
	case k.isU64:
		return value.Uint(k.u)
	}
	return value.Int(k.i)
}

// kvObject builds the {"key": k, "value": v} object stored in stream maps; k is the key
// as a value (a string or an integer).
func (e *exec) kvObject(k, v value.Value) value.Value {
	return e.kvs.New(kvKeys, k, v)
}

var kvKeys = []string{"key", "value"}

// canonMap is a canon stream map: the map's entries in stream order plus, per key, the
// canon stream of the values inserted under it.
type canonMap struct {
	values []*agg
	keys   []mapKey
	byKey  map[mapKey]*canonStream
	tet    *data.Tetraplet
	cid    string
}

func newCanonMap(c *canonStream) (*canonMap, *execError) {
	m := &canonMap{values: c.values, byKey: map[mapKey]*canonStream{}, tet: c.tet, cid: c.cid}
	elems := make([]agg, len(c.values))
	for i, kv := range c.values {
		obj, ok := kv.v.(*value.Object)
		if !ok {
			return nil, uncatchable(CodeStreamMapKeyError, "unsupported kvpair object or map key type")
		}
		kval, ok := obj.Get("key")
		if !ok {
			return nil, uncatchable(CodeStreamMapKeyError, "unsupported kvpair object or map key type")
		}
		key, ok := mapKeyFromValue(kval)
		if !ok {
			return nil, uncatchable(CodeStreamMapKeyError, "unsupported kvpair object or map key type")
		}
		v, ok := obj.Get("value")
		if !ok {
			return nil, uncatchable(CodeStreamMapKeyError, "there must be a \"value\" field in kvpair object")
		}
		cs := m.byKey[key]
		if cs == nil {
			cs = &canonStream{tet: c.tet}
			m.byKey[key] = cs
			m.keys = append(m.keys, key)
		}
		elems[i] = agg{v: v, tet: normTet(kv.tet, kv.prov), pos: kv.pos, prov: kv.prov}
		cs.values = append(cs.values, &elems[i])
	}
	return m, nil
}

func (m *canonMap) asValue() value.Value {
	o := value.NewObject(len(m.keys))
	for _, k := range m.keys {
		o.Set(k.String(), m.byKey[k].asValue())
	}
	return o
}
