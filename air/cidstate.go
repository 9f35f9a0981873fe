package air

import (
	"slices"
	"unsafe"

	"github.com/cascadep2p/cascade/air/cid"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/rawbuf"
	"github.com/cascadep2p/cascade/air/internal/slab"
	"github.com/cascadep2p/cascade/air/value"
)

// cidState holds the five content-addressed stores of a run: prev ∪ current ∪ new.
type cidState struct {
	info     data.CidInfo
	parsed   map[string]value.Value    // cache of parsed value-store texts
	tetCIDs  map[data.Tetraplet]string // CIDs of the tetraplets without a lens
	lensCIDs map[string]string         // CIDs of the others, by lens (last seen)
	buf      []byte                    // value texts; handed over to the store when new
	small    []byte                    // texts of tetraplets and aggregates
	tets     slab.Slab[data.Tetraplet] // the tetraplets handed out
	texts    []byte                    // slab the CIDs and small value texts are written to

	// elements of the canon being tracked that are still to come, while their store has
	// not been sized for them (reserveCanon)
	growValues, growElems int
}

// textSlab is the size of the chunks cidState writes CIDs and small value texts to: one
// allocation holds many of them instead of one each.
const textSlab = 16 << 10

// keep copies b into the text slab and returns it as a string sharing the slab, which is
// only ever appended to.
func (s *cidState) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	n := s.room(len(b))
	s.texts = append(s.texts, b...)
	return unsafe.String(&s.texts[n], len(b))
}

// cidOf returns the CID of b, its text in the slab.
func (s *cidState) cidOf(b []byte) string {
	n := s.room(cid.Len)
	s.texts = cid.Append(s.texts, b)
	return unsafe.String(&s.texts[n], cid.Len)
}

// room makes sure the text slab has room for n more bytes, starting a new chunk if not
// (appending beyond the capacity would move the texts already handed out), and returns
// where they will start.
func (s *cidState) room(n int) int {
	if cap(s.texts)-len(s.texts) < n {
		s.texts = make([]byte, 0, max(textSlab, n))
	}
	return len(s.texts)
}

func newCidState(prev, cur *data.CidInfo) *cidState {
	info := data.CidInfo{
		ValueStore:         union(prev.ValueStore, cur.ValueStore),
		TetrapletStore:     union(prev.TetrapletStore, cur.TetrapletStore),
		CanonElementStore:  union(prev.CanonElementStore, cur.CanonElementStore),
		CanonResultStore:   union(prev.CanonResultStore, cur.CanonResultStore),
		ServiceResultStore: union(prev.ServiceResultStore, cur.ServiceResultStore),
	}
	return &cidState{info: info, parsed: map[string]value.Value{}, tetCIDs: map[data.Tetraplet]string{}, lensCIDs: map[string]string{}}
}

// union merges two stores, the current one winning on equal CIDs, by inserting the
// smaller into the larger (both belong to the run and may be modified).
func union[V any](prev, cur map[string]V) map[string]V {
	switch {
	case prev == nil && cur == nil:
		return map[string]V{}
	case len(cur) >= len(prev) && cur != nil:
		for k, v := range prev {
			if _, ok := cur[k]; !ok {
				cur[k] = v
			}
		}
		return cur
	case prev == nil:
		prev = map[string]V{}
	}
	for k, v := range cur {
		prev[k] = v
	}
	return prev
}

// reserveCanon tells that a canon is about to track n elements. The first element that
// adds a new value (or a new canon element) has its store sized for all the elements
// still to come, instead of growing (and rehashing) step by step; a canon whose values
// are all known already (a canon of call results) reserves nothing.
func (s *cidState) reserveCanon(n int) {
	s.growValues, s.growElems = n, n
}

// reserve returns m, or a copy of it with room for n more entries when n is large and
// more than len(m).
func reserve[V any](m map[string]V, n int) map[string]V {
	if n < 64 || n <= len(m) {
		return m
	}
	r := make(map[string]V, len(m)+n)
	for k, v := range m {
		r[k] = v
	}
	return r
}

// trackValue stores a value in the value store and returns its CID. The text is written
// into a buffer sized by a cheap lower bound (plus a little room for escapes); when the
// value is new, that buffer becomes the stored text without a copy.
func (s *cidState) trackValue(v value.Value) string {
	if n := value.SizeHint(v); cap(s.buf) < n {
		s.buf = rawbuf.Make(n + n/64 + 64)
	}
	s.buf = value.AppendJSON(s.buf[:0], v)
	c := s.cidOf(s.buf)
	if _, ok := s.info.ValueStore[c]; !ok {
		if s.growValues > 0 {
			s.info.ValueStore = reserve(s.info.ValueStore, s.growValues)
			s.growValues = 0
		}
		if len(s.buf) <= textSlab/8 {
			s.info.ValueStore[c] = s.keep(s.buf) // small: copied, s.buf stays for the next
		} else {
			s.info.ValueStore[c] = unsafe.String(unsafe.SliceData(s.buf), len(s.buf))
			s.buf = nil
		}
	}
	return c
}

func appendStr(b []byte, s string) []byte { return value.AppendString(b, s) }

// tetrapletJSON is the text a tetraplet's CID is computed over.
func tetrapletJSON(b []byte, t *data.Tetraplet) []byte {
	b = append(b, `{"peer_pk":`...)
	b = appendStr(b, t.PeerPK)
	b = append(b, `,"service_id":`...)
	b = appendStr(b, t.ServiceID)
	b = append(b, `,"function_name":`...)
	b = appendStr(b, t.FunctionName)
	b = append(b, `,"lens":`...)
	b = appendStr(b, t.Lens)
	return append(b, '}')
}

func serviceResultJSON(b []byte, a *data.ServiceResultAgg) []byte {
	b = append(b, `{"value_cid":`...)
	b = appendStr(b, a.ValueCID)
	b = append(b, `,"argument_hash":`...)
	b = appendStr(b, a.ArgumentHash)
	b = append(b, `,"tetraplet_cid":`...)
	b = appendStr(b, a.TetrapletCID)
	return append(b, '}')
}

// canonElementJSON is the text a canon element's CID is computed over. When ours is set,
// its value and tetraplet CIDs were computed by this run, so they need no escaping.
func canonElementJSON(b []byte, e *data.CanonElement, ours bool) []byte {
	b = append(b, `{"value":`...)
	b = appendCIDStr(b, e.Value, ours)
	b = append(b, `,"tetraplet":`...)
	b = appendCIDStr(b, e.Tetraplet, ours)
	b = append(b, `,"provenance":{"type":`...)
	switch e.Provenance.Kind {
	case data.ProvenanceLiteral:
		b = append(b, `"literal"}}`...)
		return b
	case data.ProvenanceServiceResult:
		b = append(b, `"service_result","cid":`...)
	default:
		b = append(b, `"canon","cid":`...)
	}
	b = appendStr(b, e.Provenance.CID)
	return append(b, `}}`...)
}

// canonResultJSON is the text a canon result's CID is computed over. When ours is set,
// all its CIDs were computed by this run, so they need no escaping.
func canonResultJSON(b []byte, r *data.CanonResultAgg, ours bool) []byte {
	n := 32 + len(r.Tetraplet)
	for _, v := range r.Values {
		n += len(v) + 3
	}
	b = slices.Grow(b, n) // one allocation for a long list, not a doubling series
	b = append(b, `{"tetraplet":`...)
	b = appendCIDStr(b, r.Tetraplet, ours)
	b = append(b, `,"values":[`...)
	for i, v := range r.Values {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCIDStr(b, v, ours)
	}
	return append(b, `]}`...)
}

// appendCIDStr appends the JSON string of a CID; one this run computed (ours) is base32
// text and is copied as it is, any other is escaped like every string.
func appendCIDStr(b []byte, c string, ours bool) []byte {
	if !ours {
		return appendStr(b, c)
	}
	b = append(b, '"')
	b = append(b, c...)
	return append(b, '"')
}

// trackTetraplet stores a tetraplet and returns its CID. CIDs are memoized: tetraplets
// without a lens by their whole value (they repeat for every call of a service), the
// others by their lens alone, checked against the rest (fold elements repeat their
// lenses when a fold runs again; hashing a lens is cheaper than hashing four strings,
// and the store holds the tetraplet to check against).
func (s *cidState) trackTetraplet(t *data.Tetraplet) string {
	if t.Lens == "" {
		if c, ok := s.tetCIDs[*t]; ok {
			return c
		}
	} else if c, ok := s.lensCIDs[t.Lens]; ok && s.info.TetrapletStore[c] == *t {
		return c
	}
	s.small = tetrapletJSON(s.small[:0], t)
	c := s.cidOf(s.small)
	if t.Lens == "" {
		s.tetCIDs[*t] = c
	} else {
		s.lensCIDs[t.Lens] = c
	}
	if _, ok := s.info.TetrapletStore[c]; !ok {
		s.info.TetrapletStore[c] = *t
	}
	return c
}

// argumentHash returns the CID of a call's arguments as a JSON array.
func (s *cidState) argumentHash(args []value.Value) string {
	s.small = value.AppendArray(s.small[:0], args)
	return s.cidOf(s.small)
}

// trackServiceResult stores a service result (value, tetraplet, aggregate) and returns the
// aggregate's CID.
func (s *cidState) trackServiceResult(v value.Value, t *data.Tetraplet, argHash string) string {
	c, _ := s.trackServiceResultValue(v, t, argHash)
	return c
}

// trackServiceResultValue is trackServiceResult also returning the value's CID.
func (s *cidState) trackServiceResultValue(v value.Value, t *data.Tetraplet, argHash string) (string, string) {
	a := data.ServiceResultAgg{ValueCID: s.trackValue(v), ArgumentHash: argHash, TetrapletCID: s.trackTetraplet(t)}
	s.small = serviceResultJSON(s.small[:0], &a)
	c := s.cidOf(s.small)
	if _, ok := s.info.ServiceResultStore[c]; !ok {
		s.info.ServiceResultStore[c] = a
	}
	return c, a.ValueCID
}

// trackCanonElement stores a canon element (its value and tetraplet too) and returns its
// CID.
func (s *cidState) trackCanonElement(v *agg) string {
	vc := v.vcid
	if vc == "" {
		vc = s.trackValue(v.v)
	}
	e := data.CanonElement{Value: vc, Tetraplet: s.trackTetraplet(v.tet), Provenance: data.Provenance{Kind: v.prov.kind, CID: v.prov.cid}}
	s.small = canonElementJSON(s.small[:0], &e, true)
	c := s.cidOf(s.small)
	if _, ok := s.info.CanonElementStore[c]; !ok {
		if s.growElems > 0 {
			s.info.CanonElementStore = reserve(s.info.CanonElementStore, s.growElems)
			s.growElems = 0
		}
		s.info.CanonElementStore[c] = e
	}
	// this element is done: what is left to reserve for is one less
	s.growValues, s.growElems = max(s.growValues-1, 0), max(s.growElems-1, 0)
	return c
}

// trackCanonResult stores a canon result whose element and tetraplet CIDs this run
// computed (trackCanonElement, trackTetraplet) and returns its CID.
func (s *cidState) trackCanonResult(r *data.CanonResultAgg) string {
	s.small = canonResultJSON(s.small[:0], r, true)
	c := s.cidOf(s.small)
	if _, ok := s.info.CanonResultStore[c]; !ok {
		s.info.CanonResultStore[c] = *r
	}
	return c
}

func (s *cidState) value(c string) (value.Value, *execError) {
	if v, ok := s.parsed[c]; ok {
		return v, nil
	}
	raw, ok := s.info.ValueStore[c]
	if !ok {
		return nil, errValueForCidNotFound("value", c)
	}
	v, err := value.ParseString(raw)
	if err != nil {
		return nil, uncatchable(CodeCidError, "failed to calculate value's CID")
	}
	s.parsed[c] = v
	return v, nil
}

func (s *cidState) tetraplet(c string) (*data.Tetraplet, *execError) {
	t, ok := s.info.TetrapletStore[c]
	if !ok {
		return nil, errValueForCidNotFound("tetraplet", c)
	}
	p := s.newTetraplet()
	*p = t
	return p, nil
}

// newTetraplet returns a zero tetraplet from the slab.
func (s *cidState) newTetraplet() *data.Tetraplet {
	return s.tets.New()
}

// serviceInfo resolves a service-result CID to its value, tetraplet and aggregate.
func (s *cidState) serviceInfo(c string) (value.Value, *data.Tetraplet, *data.ServiceResultAgg, *execError) {
	a, ok := s.info.ServiceResultStore[c]
	if !ok {
		return nil, nil, nil, errValueForCidNotFound("service result aggregate", c)
	}
	v, err := s.value(a.ValueCID)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := s.tetraplet(a.TetrapletCID)
	if err != nil {
		return nil, nil, nil, err
	}
	return v, t, &a, nil
}

func (s *cidState) canonResult(c string) (*data.CanonResultAgg, *execError) {
	r, ok := s.info.CanonResultStore[c]
	if !ok {
		return nil, errValueForCidNotFound("canon result aggregate", c)
	}
	return &r, nil
}

// canonElement resolves a canon element CID into *a.
func (s *cidState) canonElement(c string, a *agg) *execError {
	e, ok := s.info.CanonElementStore[c]
	if !ok {
		return errValueForCidNotFound("canon aggregate", c)
	}
	v, err := s.value(e.Value)
	if err != nil {
		return err
	}
	t, err := s.tetraplet(e.Tetraplet)
	if err != nil {
		return err
	}
	// The value's CID is not reused: re-serializing a parsed float may not give the
	// stored text back (serde_json's parser is not correctly rounded), and AquaVM
	// hashes the re-serialized value.
	prov := provenance{kind: e.Provenance.Kind, cid: e.Provenance.CID}
	*a = agg{v: v, tet: normTet(t, prov), prov: prov}
	return nil
}
