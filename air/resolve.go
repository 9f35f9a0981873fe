package air

import (
	"strconv"

	"github.com/cascadep2p/cascade/air/ast"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/value"
)

// iterItem is the current element of a fold: its value, raw tetraplet, trace position and
// provenance.
type iterItem struct {
	v    value.Value
	tet  *data.Tetraplet
	pos  uint32
	prov provenance
}

func (it iterItem) toAgg() *agg { return newAgg(it.v, it.tet, it.pos, it.prov) }

// iterable is what a fold iterates over.
type iterable interface {
	next() bool
	prev() bool
	peek() iterItem
	length() int
}

// aggIter iterates value aggregates (stream generations, canon streams, canon maps).
type aggIter struct {
	values []*agg
	cursor int
}

func (it *aggIter) next() bool {
	if it.cursor+1 < len(it.values) {
		it.cursor++
		return true
	}
	return false
}

func (it *aggIter) prev() bool {
	if it.cursor >= 1 {
		it.cursor--
		return true
	}
	return false
}

func (it *aggIter) peek() iterItem {
	v := it.values[it.cursor]
	return iterItem{v: v.v, tet: v.tet, pos: v.pos, prov: v.prov}
}

func (it *aggIter) length() int { return len(it.values) }

// arrayIter iterates the elements of an array value, extending the tetraplet's lens with
// the element index.
type arrayIter struct {
	arr    []value.Value
	tet    *data.Tetraplet
	pos    uint32
	prov   provenance
	cursor int
	// the element tetraplets, built together on the first peek
	tets []data.Tetraplet
}

func (it *arrayIter) next() bool {
	if it.cursor+1 < len(it.arr) {
		it.cursor++
		return true
	}
	return false
}

func (it *arrayIter) prev() bool {
	if it.cursor >= 1 {
		it.cursor--
		return true
	}
	return false
}

func (it *arrayIter) peek() iterItem {
	if it.tets == nil {
		it.buildTetraplets()
	}
	return iterItem{v: it.arr[it.cursor], tet: &it.tets[it.cursor], pos: it.pos, prov: it.prov}
}

// buildTetraplets makes every element's tetraplet (lens + ".$.[i]") with a handful of
// allocations: the lenses are substrings of one string.
func (it *arrayIter) buildTetraplets() {
	n := len(it.arr)
	base := it.tet.Lens
	b := make([]byte, 0, n*(len(base)+10))
	ends := make([]int, n)
	for i := range n {
		b = append(b, base...)
		b = append(b, ".$.["...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ']')
		ends[i] = len(b)
	}
	all := string(b)
	it.tets = make([]data.Tetraplet, n)
	start := 0
	for i := range n {
		it.tets[i] = *it.tet
		it.tets[i].Lens = all[start:ends[i]]
		start = ends[i]
	}
}

func (it *arrayIter) length() int { return len(it.arr) }

// foldState is the state of one running fold, found by its iterator name.
type foldState struct {
	it          iterable
	isStream    bool
	foldID      uint32
	backStarted bool
	body, last  ast.Instruction
}

// scalarRef is what a scalar name currently denotes: a bound value or a fold iterator.
type scalarRef struct {
	v    *agg
	fold *foldState
}

func (e *exec) scalarRef(name string) (scalarRef, *execError) {
	v, found := e.scalars.get(name)
	fs := e.iterables[name]
	switch {
	case found && v == nil:
		return scalarRef{}, errNotInitializedAfterNew(name)
	case found:
		return scalarRef{v: v}, nil
	case fs != nil:
		return scalarRef{fold: fs}, nil
	}
	return scalarRef{}, errVariableNotFound(name)
}

// item returns the scalar as a value, raw tetraplet and provenance.
func (r scalarRef) item() iterItem {
	if r.v != nil {
		return iterItem{v: r.v.v, tet: r.v.tet, pos: r.v.pos, prov: r.v.prov}
	}
	return r.fold.it.peek()
}

// agg returns the scalar as a value aggregate.
func (r scalarRef) agg() *agg {
	if r.v != nil {
		return r.v
	}
	return r.fold.it.peek().toAgg()
}

func (e *exec) canon(name string) (*canonStream, *execError) {
	v, found := e.canons.get(name)
	if !found {
		return nil, errVariableNotFound(name)
	}
	if v == nil {
		return nil, errNotInitializedAfterNew(name)
	}
	return v, nil
}

func (e *exec) canonMap(name string) (*canonMap, *execError) {
	v, found := e.canonMaps.get(name)
	if !found {
		return nil, errVariableNotFound(name)
	}
	if v == nil {
		return nil, errNotInitializedAfterNew(name)
	}
	return v, nil
}

// literalTet is the tetraplet of literals; it is shared, like every tetraplet, and never
// modified in place.
func (e *exec) literalTet() *data.Tetraplet {
	if e.litTet == nil {
		e.litTet = &data.Tetraplet{PeerPK: e.params.InitPeerID}
	}
	return e.litTet
}

// resolved is a resolved operand: its value, one tetraplet per element (one for anything
// but a whole canon stream) and provenance.
type resolved struct {
	v    value.Value
	tet  *data.Tetraplet   // the tetraplet, unless many is set
	many []*data.Tetraplet // a whole canon stream: its elements' tetraplets
	prov provenance
}

func (e *exec) constant(v value.Value) resolved {
	return resolved{v: v, tet: e.literalTet(), prov: literalProvenance}
}

// resolve evaluates an operand as AquaVM's Resolvable does.
func (e *exec) resolve(v *ast.Value) (resolved, *execError) {
	switch v.Kind {
	case ast.KindInitPeerID:
		return e.constant(e.params.InitPeerID), nil
	case ast.KindError:
		return e.resolveError(&e.errDesc.e, v.Lambda)
	case ast.KindLastError:
		return e.resolveError(&e.lastErr.e, v.Lambda)
	case ast.KindLiteral:
		return e.constant(v.Str()), nil
	case ast.KindTimestamp:
		return e.constant(value.Uint(e.params.Timestamp)), nil
	case ast.KindTTL:
		return e.constant(value.Uint(uint64(e.params.TTL))), nil
	case ast.KindBool:
		return e.constant(v.Bool), nil
	case ast.KindInt:
		return e.constant(value.Int(v.Int)), nil
	case ast.KindFloat:
		return e.constant(value.Float(v.Float())), nil
	case ast.KindEmptyArray:
		return e.constant([]value.Value{}), nil
	case ast.KindScalar:
		ref, err := e.scalarRef(v.Name)
		if err != nil {
			return resolved{}, err
		}
		it := ref.item()
		if v.Lambda == nil {
			return resolved{v: it.v, tet: it.tet, prov: it.prov}, nil
		}
		sel, err := e.selectFromScalar(it.v, v.Lambda)
		if err != nil {
			return resolved{}, err
		}
		return resolved{v: sel, tet: withLambda(it.tet, v.Lambda), prov: it.prov}, nil
	case ast.KindCanonStream:
		c, err := e.canon(v.Name)
		if err != nil {
			return resolved{}, err
		}
		if v.Lambda == nil {
			tets := make([]*data.Tetraplet, len(c.values))
			for i, x := range c.values {
				tets[i] = x.tet
			}
			return resolved{v: c.asValue(), many: tets, prov: provenance{kind: data.ProvenanceCanon, cid: c.cid}}, nil
		}
		val, tet, prov, err := e.canonLambda(c, v.Lambda)
		if err != nil {
			return resolved{}, err
		}
		return resolved{v: val, tet: tet, prov: prov}, nil
	case ast.KindCanonStreamMap:
		m, err := e.canonMap(v.Name)
		if err != nil {
			return resolved{}, err
		}
		root := provenance{kind: data.ProvenanceCanon, cid: m.cid}
		if v.Lambda == nil {
			tets := make([]*data.Tetraplet, len(m.values))
			for i, x := range m.values {
				tets[i] = x.tet
			}
			return resolved{v: m.asValue(), many: tets, prov: root}, nil
		}
		val, tet, err := e.canonMapLambda(m, v.Lambda)
		if err != nil {
			return resolved{}, err
		}
		return resolved{v: val, tet: tet, prov: root}, nil
	}
	return resolved{}, uncatchable(CodeTraceError, "unexpected operand kind")
}

func (e *exec) resolveError(ie *instrError, l *ast.Lambda) (resolved, *execError) {
	v := ie.obj
	if l != nil {
		var err *execError
		if v, err = e.selectFromScalar(ie.obj, l); err != nil {
			return resolved{}, err
		}
	}
	tet := ie.tet
	if tet == nil {
		tet = e.literalTet()
	}
	return resolved{v: v, tet: tet, prov: ie.prov}, nil
}

// withLambda extends a tetraplet with a lambda as AquaVM's populate_tetraplet_with_lambda.
func withLambda(t *data.Tetraplet, l *ast.Lambda) *data.Tetraplet {
	if l.Length {
		return &data.Tetraplet{Lens: ".length"}
	}
	n := *t
	n.Lens += l.String()
	return &n
}

// selectFromScalar applies a lambda to a JSON value.
func (e *exec) selectFromScalar(v value.Value, l *ast.Lambda) (value.Value, *execError) {
	if l.Length {
		arr, ok := v.([]value.Value)
		if !ok {
			return nil, catchable(CodeLengthFunctorAppliedToNotArray, "the length functor could applied only to an array-like value, but it's applied to '%s'", jv(v))
		}
		return value.Uint(uint64(len(arr))), nil
	}
	return e.selectPath(v, l.Accessors)
}

func (e *exec) selectPath(v value.Value, path []ast.Accessor) (value.Value, *execError) {
	for i := range path {
		a := &path[i]
		var err *execError
		switch a.Kind {
		case ast.ArrayAccess:
			v, err = byIndex(v, a.Index)
		case ast.FieldByName:
			v, err = byField(v, a.Name)
		case ast.FieldByScalar:
			ref, rerr := e.scalarRef(a.Name)
			if rerr != nil {
				return nil, rerr
			}
			switch acc := ref.agg().v.(type) {
			case string:
				v, err = byField(v, acc)
			case value.Number:
				idx, ierr := numberToU32(acc)
				if ierr != nil {
					return nil, ierr
				}
				v, err = byIndex(v, idx)
			default:
				return nil, errLambda("scalar accessor `%s` should has number or string type", jv(acc))
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func numberToU32(n value.Number) (uint32, *execError) {
	if u, ok := n.Uint64(); ok && u <= 0xFFFFFFFF {
		return uint32(u), nil
	}
	return 0, errLambda("index accessor `%s can't be converted to u32`", n.String())
}

func byIndex(v value.Value, idx uint32) (value.Value, *execError) {
	arr, ok := v.([]value.Value)
	if !ok {
		return nil, errLambda("value '%s' is not an array-type to match array accessor with idx = '%d'", jv(v), idx)
	}
	if int(idx) >= len(arr) {
		return nil, errLambda("value '%s' does not contain element for idx = '%d'", jv(v), idx)
	}
	return arr[idx], nil
}

func byField(v value.Value, name string) (value.Value, *execError) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errLambda("value '%s' is not an map-type to match field accessor with field_name = '%s'", jv(v), name)
	}
	f, ok := obj.Get(name)
	if !ok {
		return nil, errLambda("value '%s' does not contain element with field name = '%s'", jv(v), name)
	}
	return f, nil
}

// streamIndex resolves the first accessor of a lambda applied to a canon stream.
func (e *exec) streamIndex(a *ast.Accessor) (int, *execError) {
	switch a.Kind {
	case ast.ArrayAccess:
		return int(a.Index), nil
	case ast.FieldByName:
		return 0, errLambda("field accessor (with field name = '%s') can't be applied to a stream", a.Name)
	}
	ref, err := e.scalarRef(a.Name)
	if err != nil {
		return 0, err
	}
	acc := ref.agg().v
	n, ok := acc.(value.Number)
	if !ok {
		return 0, errLambda("stream accessor `%s` should has number (u32) type", jv(acc))
	}
	idx, ierr := numberToU32(n)
	if ierr != nil {
		return 0, ierr
	}
	return int(idx), nil
}

// canonLambda applies a lambda to a canon stream.
func (e *exec) canonLambda(c *canonStream, l *ast.Lambda) (value.Value, *data.Tetraplet, provenance, *execError) {
	if l.Length {
		tet := &data.Tetraplet{PeerPK: e.params.CurrentPeerID, ServiceID: l.String()}
		return value.Uint(uint64(len(c.values))), tet, provenance{kind: data.ProvenanceCanon, cid: c.cid}, nil
	}
	idx, err := e.streamIndex(&l.Accessors[0])
	if err != nil {
		return nil, nil, provenance{}, err
	}
	if idx >= len(c.values) {
		return nil, nil, provenance{}, errLambda("lambda is applied to a stream that have only '%d' elements, but '%d' requested", len(c.values), idx)
	}
	el := c.values[idx]
	v, err := e.selectPath(el.v, l.Accessors[1:])
	if err != nil {
		return nil, nil, provenance{}, err
	}
	return v, el.tet, el.prov, nil
}

// canonMapLambda applies a lambda to a canon stream map: the first accessor selects a key.
func (e *exec) canonMapLambda(m *canonMap, l *ast.Lambda) (value.Value, *data.Tetraplet, *execError) {
	if l.Length {
		return value.Uint(uint64(len(m.values))), &data.Tetraplet{PeerPK: e.params.CurrentPeerID, Lens: "length"}, nil
	}
	first := &l.Accessors[0]
	var key mapKey
	switch first.Kind {
	case ast.ArrayAccess:
		key = mapKey{i: int64(first.Index)}
	case ast.FieldByName:
		key = mapKey{isStr: true, s: first.Name}
	case ast.FieldByScalar:
		ref, err := e.scalarRef(first.Name)
		if err != nil {
			return nil, nil, err
		}
		if ref.v == nil {
			return nil, nil, errLambda("canon stream map accessor must not be iterable")
		}
		k, ok := mapKeyFromValue(ref.v.v)
		if !ok {
			return nil, nil, errLambda("canon stream map accessor `%s` should be either string or number", jv(ref.v.v))
		}
		key = k
	}
	cs := m.byKey[key]
	body := l.Accessors[1:]
	if cs == nil || len(body) == 0 {
		t := *m.tet
		t.Lens = l.String()
		if cs == nil {
			return []value.Value{}, &t, nil
		}
		return cs.asValue(), &t, nil
	}
	idx, err := e.streamIndex(&body[0])
	if err != nil {
		return nil, nil, err
	}
	if idx >= len(cs.values) {
		return nil, nil, errLambda("lambda is applied to a stream that have only '%d' elements, but '%d' requested", len(cs.values), idx)
	}
	el := cs.values[idx]
	rest := body[1:]
	if len(rest) == 0 {
		return el.v, el.tet, nil
	}
	v, err := e.selectPath(el.v, rest)
	if err != nil {
		return nil, nil, err
	}
	t := *el.tet
	t.Lens += (&ast.Lambda{Accessors: rest}).String()[len(".$"):]
	return v, &t, nil
}

// first returns the operand's (first) tetraplet.
func (r *resolved) first() *data.Tetraplet {
	if r.many != nil {
		if len(r.many) == 0 {
			return &data.Tetraplet{}
		}
		return r.many[0]
	}
	return r.tet
}
