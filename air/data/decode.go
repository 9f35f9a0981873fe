package data

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/cascadep2p/cascade/air/internal/rustfmt"
)

// Limits bounds what decoding accepts; a zero field means "no limit". Decoding never
// allocates much more than the input size whatever the limits, since every element
// count is checked against the bytes that would hold it before anything is allocated.
type Limits struct {
	// MaxBytes is the largest accepted input (envelope included).
	MaxBytes int
	// MaxTrace is the largest accepted number of trace states.
	MaxTrace int
	// MaxEntries is the largest accepted number of entries of any one store, of the
	// signature store, and of any nested list (fold lore, generations, canon values).
	MaxEntries int
	// Alias makes the decoded strings share the input's memory instead of copying it.
	// The caller must then leave the input unmodified for as long as the Data is used.
	Alias bool
}

func limitErr(format string, args ...any) *DecodeError {
	msg := fmt.Sprintf(format, args...)
	return &DecodeError{Kind: KindLimit, Msg: msg, debug: "Limit(" + rustfmt.DebugStr(msg) + ")"}
}

func archiveErr(format string, args ...any) *DecodeError {
	msg := fmt.Sprintf(format, args...)
	return &DecodeError{Kind: KindArchive, Msg: msg, debug: rustfmt.DebugStr(msg)}
}

// annotate prefixes the message of a *DecodeError with where it happened.
func annotate(err error, where string) error {
	if de, ok := err.(*DecodeError); ok {
		c := *de
		c.Msg = where + ": " + c.Msg
		if c.Kind == KindArchive {
			c.debug = rustfmt.DebugStr(c.Msg)
		}
		return &c
	}
	return err
}

// Archived sizes (bytes) of the types of the format.
const (
	rootSize      = 60
	stateSize     = 24
	entrySize     = 12
	sigEntrySize  = 16
	loreSize      = 12
	descSize      = 8
	genSize       = 4
	cidSize       = 8
	stringSize    = 8
	rawValueSize  = 8
	tetrapletSize = 32
	canonElemSize = 28
	canonAggSize  = 16
	serviceAggSz  = 24
)

// rcType identifies the pointee type of a shared pointer, as rkyv's validator does.
type rcType uint8

const (
	rcStr rcType = iota + 1 // Rc<str>: CIDs and argument hashes
	rcString
	rcRawValue
	rcTetraplet
	rcCanonElement
	rcCanonResult
	rcServiceResult
)

// rcEntry is a shared pointer target already validated and decoded: a text (the span
// [a, a+b) of the archive) or the index a of a decoded store value in the reader's
// slice for its type. It is kept small: a hostile archive may hold one per 8 bytes.
type rcEntry struct {
	pos  int32
	a, b int32
	typ  rcType
}

func (r *reader) str(e rcEntry) string { return r.s[e.a : e.a+e.b] }

// reader validates and decodes an archive in one depth-first pass in field order, with
// the subtree window of rkyv's validator: a target must lie in [lo, hi); its own
// pointees are then checked in [lo, target), and later siblings in [target end, hi).
type reader struct {
	b      []byte
	s      string // the archive as one string: decoded texts are substrings of it
	lo, hi int
	lim    Limits

	// The shared-pointer registry. Targets complete in strictly increasing position
	// order (the window only moves forward), so completed ones form a sorted slice,
	// indexed by a bitmap of their positions with per-word rank counts; targets being
	// checked are on a stack (they lie at or above the window end).
	done     []rcEntry
	bits     []uint64 // bit p set: a completed target at position p
	rank     []int32  // rank[w]: completed targets in words below w
	lastWord int      // highest word of bits in use
	pending  []rcEntry

	// store values by rcEntry.i, for a second pointer to the same target
	tetraplets     []Tetraplet
	canonElems     []CanonElement
	canonResults   []CanonResultAgg
	serviceResults []ServiceResultAgg
}

// DecodeArchive validates and decodes an rkyv archive (the inner_data of an envelope)
// with the checks of AquaVM 0.62's validator: bounds, alignment, subtree nesting, shared
// pointer types, enum tags, inline string lengths and UTF-8. Duplicate map keys keep the
// last entry. Errors are *DecodeError of KindArchive or KindLimit.
func DecodeArchive(inner []byte, lim Limits) (*Data, error) {
	if lim.MaxBytes > 0 && len(inner) > lim.MaxBytes {
		return nil, limitErr("archive is %d bytes, limit is %d", len(inner), lim.MaxBytes)
	}
	r := &reader{b: inner, lim: lim}
	if lim.Alias {
		r.s = unsafe.String(unsafe.SliceData(inner), len(inner))
	} else {
		r.s = string(inner)
	}
	root := len(inner) - rootSize
	if root < 0 {
		return nil, archiveErr("archive of %d bytes is shorter than the %d-byte root", len(inner), rootSize)
	}
	// about one shared target per trace state and two per store entry
	hint := min(int(r.u32(root+4)), len(inner)/stateSize)
	for i := range 5 {
		hint += 2 * min(int(r.u32(root+16+8*i)), len(inner)/entrySize)
	}
	sc := scratchPool.Get().(*scratch)
	defer sc.release(r)
	words := len(inner)/64 + 1
	if cap(sc.bits) < words {
		sc.bits, sc.rank = make([]uint64, words), make([]int32, words)
	}
	r.done = slices.Grow(sc.done[:0], min(hint, len(inner)/32))
	r.bits, r.rank = sc.bits[:words], sc.rank[:words]
	r.pending = sc.pending[:0]
	r.tetraplets, r.canonElems = sc.tetraplets[:0], sc.canonElems[:0]
	r.canonResults, r.serviceResults = sc.canonResults[:0], sc.serviceResults[:0]
	r.lastWord = -1
	r.lo, r.hi = 0, len(inner)
	d := &Data{}
	if err := r.root(root, d); err != nil {
		return nil, err
	}
	return d, nil
}

// scratch is the working memory of a decode that the decoded data does not keep: the
// shared-pointer registry and the store values by target. Decodes take it from
// scratchPool and put it back cleared, so that a run's two decodes do not allocate
// (and clear) it anew each time.
type scratch struct {
	done, pending  []rcEntry
	bits           []uint64
	rank           []int32
	tetraplets     []Tetraplet
	canonElems     []CanonElement
	canonResults   []CanonResultAgg
	serviceResults []ServiceResultAgg
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// traces holds the state arrays of traces passed to RecycleTrace.
var traces sync.Pool

// maxRecycledStates bounds the traces RecycleTrace keeps (64 K states, 12 MB).
const maxRecycledStates = 1 << 16

// NewTrace returns an empty trace with room for n states, reusing the memory of a
// recycled one when it is large enough.
func NewTrace(n int) []State {
	if n <= maxRecycledStates {
		if t, ok := traces.Get().(*[]State); ok {
			if cap(*t) >= n {
				return (*t)[:0]
			}
			traces.Put(t)
		}
	}
	return make([]State, 0, n)
}

// RecycleTrace hands the memory of a trace over to a later NewTrace (or a later Decode).
// Neither t nor any slice of its array may be used afterwards; states copied out of it
// stay valid.
func RecycleTrace(t []State) {
	if cap(t) == 0 || cap(t) > maxRecycledStates {
		return
	}
	t = t[:cap(t)]
	clear(t)
	t = t[:0]
	traces.Put(&t)
}

// maxPooledWords bounds the bitmap kept in the pool (a 4 MB archive): the memory of a
// huge decode goes back to the collector rather than stay in the pool.
const maxPooledWords = 1 << 16

// release takes r's working memory back, cleared: the bitmap words r set (the rank
// counts are only read below them) and every kept value (they point into the input),
// and returns it to the pool.
func (sc *scratch) release(r *reader) {
	if len(r.bits) > maxPooledWords {
		return
	}
	clear(r.bits[:r.lastWord+1])
	clear(r.tetraplets)
	clear(r.canonElems)
	clear(r.canonResults)
	clear(r.serviceResults)
	sc.done, sc.pending, sc.bits, sc.rank = r.done[:0], r.pending[:0], r.bits, r.rank
	sc.tetraplets, sc.canonElems = r.tetraplets[:0], r.canonElems[:0]
	sc.canonResults, sc.serviceResults = r.canonResults[:0], r.serviceResults[:0]
	scratchPool.Put(sc)
}

func (r *reader) u32(p int) uint32 { return binary.BigEndian.Uint32(r.b[p:]) }

// target resolves the relative pointer stored at p (an i32 offset from p).
func (r *reader) target(p int) int {
	return p + int(int32(binary.BigEndian.Uint32(r.b[p:])))
}

// check applies rkyv's check_ptr to a target: inside the archive, aligned, room for size.
func (r *reader) check(what string, t, size, align int) error {
	if t < 0 || t > len(r.b) {
		return archiveErr("%s: pointer to %d is outside the archive of %d bytes", what, t, len(r.b))
	}
	if t%align != 0 {
		return archiveErr("%s: target %d is not aligned to %d", what, t, align)
	}
	if len(r.b)-t < size {
		return archiveErr("%s: %d bytes at %d overrun the archive of %d bytes", what, size, t, len(r.b))
	}
	return nil
}

// subtree checks a target against the current window.
func (r *reader) subtree(what string, t, size int) error {
	if size == 0 {
		if t < r.lo || t > r.hi {
			return archiveErr("%s: empty target %d is outside the subtree range %d..%d", what, t, r.lo, r.hi)
		}
		return nil
	}
	if t < r.lo || t >= r.hi {
		return archiveErr("%s: target %d is outside the subtree range %d..%d", what, t, r.lo, r.hi)
	}
	if r.hi-t < size {
		return archiveErr("%s: %d bytes at %d overrun the subtree range %d..%d", what, size, t, r.lo, r.hi)
	}
	return nil
}

// enter checks an owned (not shared) target of size bytes and enters its subtree: the
// window becomes [lo, t) until leave, which moves it to [t+size, previous hi).
func (r *reader) enter(what string, t, size, align int) (int, error) {
	if err := r.check(what, t, size, align); err != nil {
		return 0, err
	}
	if err := r.subtree(what, t, size); err != nil {
		return 0, err
	}
	saved := r.hi
	r.hi = t
	return saved, nil
}

func (r *reader) leave(t, size, saved int) {
	r.lo, r.hi = t+size, saved
}

// enterShared resolves a shared pointer to target t. On the first visit of t it is
// registered and entered like enter (first is true; the caller decodes the contents and
// calls leaveShared). Later visits are only bounds-checked and return the first
// decoding, as rkyv's validator and deserializer do; the same position used as two
// different types is an error.
func (r *reader) enterShared(what string, t, size, align int, typ rcType) (e rcEntry, first bool, saved int, err error) {
	if err = r.check(what, t, size, align); err != nil {
		return
	}
	if e, ok := r.lookup(t); ok {
		if e.typ != typ {
			return e, false, 0, archiveErr("%s: position %d is used as two different shared types", what, t)
		}
		return e, false, 0, nil
	}
	if err = r.subtree(what, t, size); err != nil {
		return
	}
	// registered before the contents are checked, like rkyv
	e = rcEntry{pos: int32(t), typ: typ}
	r.pending = append(r.pending, e)
	saved = r.hi
	r.hi = t
	return e, true, saved, nil
}

func (r *reader) leaveShared(t, size, saved int, e rcEntry) {
	r.leave(t, size, saved)
	r.pending = r.pending[:len(r.pending)-1]
	w := int(e.pos >> 6)
	for r.lastWord < w {
		r.lastWord++
		r.rank[r.lastWord] = int32(len(r.done))
	}
	r.bits[w] |= 1 << (e.pos & 63)
	r.done = append(r.done, e)
}

// lookup finds the registered shared target at position t.
func (r *reader) lookup(t int) (rcEntry, bool) {
	if t > r.lo && t < r.hi {
		// strictly inside the window: completed targets end at or before lo, pending
		// ones start at or after hi
		return rcEntry{}, false
	}
	for i := len(r.pending) - 1; i >= 0; i-- {
		if int(r.pending[i].pos) == t {
			return r.pending[i], true
		}
	}
	w := t >> 6
	if t < 0 || w > r.lastWord {
		return rcEntry{}, false
	}
	word, bit := r.bits[w], uint64(1)<<(t&63)
	if word&bit == 0 {
		return rcEntry{}, false
	}
	return r.done[int(r.rank[w])+bits.OnesCount64(word&(bit-1))], true
}

// vec checks the Vec at p with elements of stride bytes and calls elem for each element.
// The element count is validated against the archive size before elem runs.
func (r *reader) vec(what string, p, stride, limit int, elem func(i, at int) error) error {
	t := r.target(p)
	n := int(r.u32(p + 4))
	if limit > 0 && n > limit {
		return limitErr("%s: %d elements, limit is %d", what, n, limit)
	}
	if n > len(r.b)/stride {
		return archiveErr("%s: %d elements of %d bytes cannot fit in the archive of %d bytes", what, n, stride, len(r.b))
	}
	size := n * stride
	saved, err := r.enter(what, t, size, 4)
	if err != nil {
		return err
	}
	for i := range n {
		if err := elem(i, t+i*stride); err != nil {
			return err
		}
	}
	r.leave(t, size, saved)
	return nil
}

// text validates UTF-8 of the byte range [t, t+n) and returns it.
func (r *reader) text(what string, t, n int) (string, error) {
	if !utf8.Valid(r.b[t : t+n]) {
		return "", archiveErr("%s: invalid UTF-8 at %d", what, t)
	}
	return r.s[t : t+n], nil
}

// ownedText reads an owned str of n bytes at t (Box<str>, out-of-line String bytes).
func (r *reader) ownedText(what string, t, n int) (string, error) {
	saved, err := r.enter(what, t, n, 1)
	if err != nil {
		return "", err
	}
	s, err := r.text(what, t, n)
	if err != nil {
		return "", err
	}
	r.leave(t, n, saved)
	return s, nil
}

// boxStr reads a Box<str> fat pointer at p.
func (r *reader) boxStr(what string, p int) (string, error) {
	return r.ownedText(what, r.target(p), int(r.u32(p+4)))
}

// boxBytes reads a Box<[u8]> fat pointer at p.
func (r *reader) boxBytes(what string, p int) (string, error) {
	t, n := r.target(p), int(r.u32(p+4))
	saved, err := r.enter(what, t, n, 1)
	if err != nil {
		return "", err
	}
	r.leave(t, n, saved)
	return r.s[t : t+n], nil
}

// rcStr reads an Rc<str> fat pointer at p (CIDs, argument hashes).
func (r *reader) rcStr(what string, p int) (string, error) {
	t, n := r.target(p), int(r.u32(p+4))
	e, first, saved, err := r.enterShared(what, t, n, 1, rcStr)
	if err != nil || !first {
		return r.str(e), err
	}
	s, err := r.text(what, t, n)
	if err != nil {
		return "", err
	}
	e.a, e.b = int32(t), int32(n)
	r.leaveShared(t, n, saved, e)
	return s, nil
}

// rcString reads an Rc<String> thin pointer at p (peer ids).
func (r *reader) rcString(what string, p int) (string, error) {
	t := r.target(p)
	e, first, saved, err := r.enterShared(what, t, stringSize, 4, rcString)
	if err != nil || !first {
		return r.str(e), err
	}
	start, n, err := r.archivedStringSpan(what, t)
	if err != nil {
		return "", err
	}
	e.a, e.b = int32(start), int32(n)
	r.leaveShared(t, stringSize, saved, e)
	return r.str(e), nil
}

// archivedString reads the 8-byte ArchivedString at p (inline up to 7 bytes, else a
// big-endian length and a little-endian relative offset).
func (r *reader) archivedString(what string, p int) (string, error) {
	start, n, err := r.archivedStringSpan(what, p)
	if err != nil {
		return "", err
	}
	return r.s[start : start+n], nil
}

// archivedStringSpan is archivedString returning where the text lies in the archive.
func (r *reader) archivedStringSpan(what string, p int) (int, int, error) {
	last := r.b[p+7]
	if last&0x80 == 0 {
		n := int(last)
		if n > 7 {
			return 0, 0, archiveErr("%s: inline string at %d has length %d > 7", what, p, n)
		}
		_, err := r.text(what, p, n)
		return p, n, err
	}
	n := int(r.u32(p))
	t := p + int(int32(binary.LittleEndian.Uint32(r.b[p+4:])))
	_, err := r.ownedText(what, t, n)
	return t, n, err
}

func (r *reader) tag(what string, p int, max uint8) (uint8, error) {
	t := r.b[p]
	if t > max {
		return 0, archiveErr("%s: invalid tag %d at %d", what, t, p)
	}
	return t, nil
}

func (r *reader) root(p int, d *Data) error {
	saved, err := r.enter("root", p, rootSize, 4)
	if err != nil {
		return err
	}
	if err := r.trace(p, d); err != nil {
		return err
	}
	d.LastCallRequestID = r.u32(p + 8)
	if err := r.stores(p+12, d); err != nil {
		return err
	}
	if err := r.signatures(p+52, d); err != nil {
		return err
	}
	r.leave(p, rootSize, saved)
	return nil
}

func (r *reader) trace(p int, d *Data) error {
	var trace []State
	err := r.vec("trace", p, stateSize, r.lim.MaxTrace, func(i, at int) error {
		if trace == nil {
			trace = NewTrace(int(r.u32(p + 4)))
		}
		trace = append(trace, State{})
		if err := r.state(at, &trace[i]); err != nil {
			return annotate(err, fmt.Sprintf("trace[%d]", i))
		}
		return nil
	})
	d.Trace = trace
	return err
}

func (r *reader) state(p int, st *State) error {
	const what = "state"
	tag, err := r.tag(what, p, uint8(StateCanon))
	if err != nil {
		return err
	}
	st.Kind = StateKind(tag)
	switch st.Kind {
	case StatePar:
		st.Left, st.Right = r.u32(p+4), r.u32(p+8)
	case StateCall:
		return r.callResult(p+4, &st.Call)
	case StateFold:
		return r.vec(what+".lore", p+4, loreSize, r.lim.MaxEntries, func(j, at int) error {
			if st.Lore == nil {
				st.Lore = make([]FoldLore, 0, r.u32(p+8))
			}
			l := FoldLore{ValuePos: r.u32(at)}
			n := r.u32(at + 8) // the desc count, used only once the vec is validated
			err := r.vec(what+".lore.desc", at+4, descSize, r.lim.MaxEntries, func(k, at int) error {
				if l.Desc == nil {
					l.Desc = make([]SubTraceDesc, 0, n)
				}
				l.Desc = append(l.Desc, SubTraceDesc{BeginPos: r.u32(at), Len: r.u32(at + 4)})
				return nil
			})
			st.Lore = append(st.Lore, l)
			return err
		})
	case StateAp:
		return r.vec(what+".gens", p+4, genSize, r.lim.MaxEntries, func(j, at int) error {
			if st.Gens == nil {
				st.Gens = make([]uint32, 0, r.u32(p+8))
			}
			st.Gens = append(st.Gens, r.u32(at))
			return nil
		})
	case StateCanon:
		var t uint8
		if t, err = r.tag(what+".canon", p+4, 1); err != nil {
			return err
		}
		if t == 0 {
			st.Canon.PeerID, err = r.rcString(what+".canon.sent_by", p+8)
		} else {
			st.Canon.Executed = true
			st.Canon.CID, err = r.rcStr(what+".canon.executed", p+8)
		}
	}
	return err
}

func (r *reader) callResult(p int, c *CallResult) error {
	const what = "state"
	tag, err := r.tag(what+".call", p, uint8(CallFailed))
	if err != nil {
		return err
	}
	c.Kind = CallKind(tag)
	switch c.Kind {
	case CallSentBy:
		var t uint8
		if t, err = r.tag(what+".call.sent_by", p+4, 1); err != nil {
			return err
		}
		c.WithCallID = t == 1
		if c.SenderPeer, err = r.rcString(what+".call.sent_by", p+8); err != nil {
			return err
		}
		if c.WithCallID {
			c.CallID = r.u32(p + 12)
		}
	case CallExecuted:
		var t uint8
		if t, err = r.tag(what+".call.executed", p+4, uint8(ValueUnused)); err != nil {
			return err
		}
		c.Value.Kind = ValueKind(t)
		if c.Value.CID, err = r.rcStr(what+".call.executed", p+8); err != nil {
			return err
		}
		if c.Value.Kind == ValueStream {
			c.Value.Generation = r.u32(p + 16)
		}
	case CallFailed:
		c.FailedCID, err = r.rcStr(what+".call.failed", p+4)
	}
	return err
}

// stores reads the five CID stores of the CidInfo at p.
func (r *reader) stores(p int, d *Data) error {
	ci := &d.CidInfo
	ci.ValueStore = make(map[string]string, r.count(p))
	if err := r.vec("value_store", p, entrySize, r.lim.MaxEntries, func(i, at int) error {
		const what = "value_store value"
		k, err := r.rcStr("value_store key", at)
		if err != nil {
			return err
		}
		t := r.target(at + 8)
		e, first, saved, err := r.enterShared(what, t, rawValueSize, 4, rcRawValue)
		if err != nil {
			return err
		}
		if first {
			if _, err = r.boxStr(what, t); err != nil {
				return err
			}
			e.a, e.b = int32(r.target(t)), int32(r.u32(t+4))
			r.leaveShared(t, rawValueSize, saved, e)
		}
		ci.ValueStore[k] = r.str(e)
		return nil
	}); err != nil {
		return err
	}

	ci.TetrapletStore = make(map[string]Tetraplet, r.count(p+8))
	if err := r.vec("tetraplet_store", p+8, entrySize, r.lim.MaxEntries, func(i, at int) error {
		const what = "tetraplet_store value"
		k, err := r.rcStr("tetraplet_store key", at)
		if err != nil {
			return err
		}
		t := r.target(at + 8)
		e, first, saved, err := r.enterShared(what, t, tetrapletSize, 4, rcTetraplet)
		if err != nil {
			return err
		}
		if first {
			var tp Tetraplet
			for j, f := range [4]*string{&tp.PeerPK, &tp.ServiceID, &tp.FunctionName, &tp.Lens} {
				if *f, err = r.archivedString(what, t+8*j); err != nil {
					return err
				}
			}
			e.a = int32(len(r.tetraplets))
			r.tetraplets = append(r.tetraplets, tp)
			r.leaveShared(t, tetrapletSize, saved, e)
		}
		ci.TetrapletStore[k] = r.tetraplets[e.a]
		return nil
	}); err != nil {
		return err
	}

	ci.CanonElementStore = make(map[string]CanonElement, r.count(p+16))
	if err := r.vec("canon_element_store", p+16, entrySize, r.lim.MaxEntries, func(i, at int) error {
		const what = "canon_element_store value"
		k, err := r.rcStr("canon_element_store key", at)
		if err != nil {
			return err
		}
		t := r.target(at + 8)
		e, first, saved, err := r.enterShared(what, t, canonElemSize, 4, rcCanonElement)
		if err != nil {
			return err
		}
		if first {
			var ce CanonElement
			if ce.Value, err = r.rcStr(what, t); err != nil {
				return err
			}
			if ce.Tetraplet, err = r.rcStr(what, t+8); err != nil {
				return err
			}
			tag, err := r.tag(what+".provenance", t+16, uint8(ProvenanceCanon))
			if err != nil {
				return err
			}
			ce.Provenance.Kind = ProvenanceKind(tag)
			if ce.Provenance.Kind != ProvenanceLiteral {
				if ce.Provenance.CID, err = r.rcStr(what+".provenance", t+20); err != nil {
					return err
				}
			}
			e.a = int32(len(r.canonElems))
			r.canonElems = append(r.canonElems, ce)
			r.leaveShared(t, canonElemSize, saved, e)
		}
		ci.CanonElementStore[k] = r.canonElems[e.a]
		return nil
	}); err != nil {
		return err
	}

	ci.CanonResultStore = make(map[string]CanonResultAgg, r.count(p+24))
	if err := r.vec("canon_result_store", p+24, entrySize, r.lim.MaxEntries, func(i, at int) error {
		const what = "canon_result_store value"
		k, err := r.rcStr("canon_result_store key", at)
		if err != nil {
			return err
		}
		t := r.target(at + 8)
		e, first, saved, err := r.enterShared(what, t, canonAggSize, 4, rcCanonResult)
		if err != nil {
			return err
		}
		if first {
			var cr CanonResultAgg
			if cr.Tetraplet, err = r.rcStr(what, t); err != nil {
				return err
			}
			if err := r.vec(what+".values", t+8, cidSize, r.lim.MaxEntries, func(j, at int) error {
				if cr.Values == nil {
					cr.Values = make([]string, 0, r.u32(t+12))
				}
				v, err := r.rcStr(what+".values", at)
				cr.Values = append(cr.Values, v)
				return err
			}); err != nil {
				return err
			}
			e.a = int32(len(r.canonResults))
			r.canonResults = append(r.canonResults, cr)
			r.leaveShared(t, canonAggSize, saved, e)
		}
		ci.CanonResultStore[k] = r.canonResults[e.a]
		return nil
	}); err != nil {
		return err
	}

	ci.ServiceResultStore = make(map[string]ServiceResultAgg, r.count(p+32))
	return r.vec("service_result_store", p+32, entrySize, r.lim.MaxEntries, func(i, at int) error {
		const what = "service_result_store value"
		k, err := r.rcStr("service_result_store key", at)
		if err != nil {
			return err
		}
		t := r.target(at + 8)
		e, first, saved, err := r.enterShared(what, t, serviceAggSz, 4, rcServiceResult)
		if err != nil {
			return err
		}
		if first {
			var sr ServiceResultAgg
			if sr.ValueCID, err = r.rcStr(what+".value_cid", t); err != nil {
				return err
			}
			if sr.ArgumentHash, err = r.rcStr(what+".argument_hash", t+8); err != nil {
				return err
			}
			if sr.TetrapletCID, err = r.rcStr(what+".tetraplet_cid", t+16); err != nil {
				return err
			}
			e.a = int32(len(r.serviceResults))
			r.serviceResults = append(r.serviceResults, sr)
			r.leaveShared(t, serviceAggSz, saved, e)
		}
		ci.ServiceResultStore[k] = r.serviceResults[e.a]
		return nil
	})
}

// count returns a safe map capacity hint for the Vec at p.
func (r *reader) count(p int) int {
	n := int(r.u32(p + 4))
	return min(n, len(r.b)/entrySize)
}

func (r *reader) signatures(p int, d *Data) error {
	d.Signatures = make(map[string]string, min(int(r.u32(p+4)), len(r.b)/sigEntrySize))
	return r.vec("signatures", p, sigEntrySize, r.lim.MaxEntries, func(i, at int) error {
		k, err := r.boxBytes("signatures key", at)
		if err != nil {
			return err
		}
		v, err := r.boxBytes("signatures value", at+8)
		if err != nil {
			return err
		}
		d.Signatures[k] = v
		return nil
	})
}
