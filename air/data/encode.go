package data

import (
	"encoding/binary"
	"maps"
	"slices"
	"sync"

	"github.com/cascadep2p/cascade/air/internal/keysort"
	"github.com/cascadep2p/cascade/air/internal/rawbuf"
)

// Encode serializes d as AquaVM 0.62 does: the envelope with versions FormatVersion and
// InterpreterVersion (d.Version and d.InterpreterVersion are ignored) around an rkyv
// archive written post-order with zero padding. Map entries are written in sorted key
// order, and every CID, argument hash and peer id is written once and shared by content,
// so the result is never larger than the AVM's own bytes for the same content.
func Encode(d *Data) []byte {
	est := sizeEstimate(d, true)
	hdr := binHeaderLen(est)
	base := envelopePrefixLen + hdr
	// Every byte of the buffer is written before it is returned: the envelope's
	// prefix last.
	w := getWriter()
	defer w.release()
	w.buf, w.base = rawbuf.Make(base + est)[:base], base
	w.data(d)
	n := len(w.buf) - base
	if real := binHeaderLen(n); real != hdr {
		// The estimate assumed shared CIDs; the archive's real length may need another
		// header length.
		if real > hdr {
			w.buf = append(w.buf, make([]byte, real-hdr)...)
		}
		copy(w.buf[envelopePrefixLen+real:], w.buf[base:base+n])
		w.buf = w.buf[:envelopePrefixLen+real+n]
	}
	appendEnvelope(w.buf[:0], n)
	return w.buf
}

// EncodedSize returns an upper bound of the archive size Encode writes for d (the
// envelope adds at most 57 bytes).
func EncodedSize(d *Data) int { return sizeEstimate(d, false) }

// sizeEstimate returns EncodedSize's upper bound when shared is false. When shared is
// true, it counts the CIDs that trace states and aggregates refer to as shared with the
// store keys, as they are in valid data: a close estimate instead of a bound.
func sizeEstimate(d *Data, shared bool) int {
	// every object may be preceded by up to 3 padding bytes; strings count as unshared,
	// but for the referenced CIDs when shared
	n := rootSize + 3 + 3
	ref := func(c string) int {
		if shared {
			return 0
		}
		return len(c)
	}
	for i := range d.Trace {
		st := &d.Trace[i]
		n += stateSize
		switch st.Kind {
		case StateCall:
			n += len(st.Call.SenderPeer) + ref(st.Call.Value.CID) + ref(st.Call.FailedCID) + stringSize + 4
		case StateFold:
			n += 3
			for _, l := range st.Lore {
				n += loreSize + descSize*len(l.Desc) + 3
			}
		case StateAp:
			n += genSize*len(st.Gens) + 3
		case StateCanon:
			n += len(st.Canon.PeerID) + ref(st.Canon.CID) + stringSize + 4
		}
	}
	ci := &d.CidInfo
	n += 5 * 3
	for k, v := range ci.ValueStore {
		n += entrySize + len(k) + 1 + len(v) + 3 + rawValueSize
	}
	for k, t := range ci.TetrapletStore {
		n += entrySize + len(k) + 1 + tetrapletSize + 3 + len(t.PeerPK) + len(t.ServiceID) + len(t.FunctionName) + len(t.Lens)
	}
	for k, e := range ci.CanonElementStore {
		n += entrySize + len(k) + 1 + canonElemSize + 3 + ref(e.Value) + ref(e.Tetraplet) + ref(e.Provenance.CID) + 3
	}
	for k, e := range ci.CanonResultStore {
		n += entrySize + len(k) + 1 + canonAggSize + 6 + ref(e.Tetraplet) + 1
		for _, v := range e.Values {
			n += cidSize + ref(v) + 1
		}
	}
	for k, e := range ci.ServiceResultStore {
		n += entrySize + len(k) + 1 + serviceAggSz + 3 + ref(e.ValueCID) + len(e.ArgumentHash) + ref(e.TetrapletCID) + 3
	}
	n += 3
	for k, v := range d.Signatures {
		n += sigEntrySize + len(k) + len(v)
	}
	return n
}

// writer builds an archive after base bytes of buf reserved for the envelope.
type writer struct {
	buf  []byte
	base int
	// shared targets by content: Rc<str> (CIDs, argument hashes) and Rc<String> (peer ids)
	strs    map[string]int
	strings map[string]int

	// Working memory, kept from one Encode to the next (see writers).
	sorter keysort.Sorter
	keys   []string
	deps   []int // see positions
	vals   struct {
		strs     []string
		tets     []Tetraplet
		elems    []CanonElement
		results  []CanonResultAgg
		services []ServiceResultAgg
	}
}

// writers keeps the working memory of finished encodings: maps and slices sized for the
// data written before, instead of new ones grown step by step on every call.
var writers = sync.Pool{New: func() any {
	return &writer{strs: map[string]int{}, strings: map[string]int{}}
}}

// maxKeptEntries bounds the maps and slices a writer keeps for the next Encode.
const maxKeptEntries = 1 << 16

func getWriter() *writer { return writers.Get().(*writer) }

// release forgets everything the writer refers to and returns it to the pool, unless
// it grew too large to keep.
func (w *writer) release() {
	w.buf = nil
	if len(w.strs) > maxKeptEntries || len(w.strings) > maxKeptEntries || cap(w.keys) > maxKeptEntries {
		return
	}
	clear(w.strs)
	clear(w.strings)
	clear(w.keys[:cap(w.keys)])
	clear(w.vals.strs[:cap(w.vals.strs)])
	clear(w.vals.tets[:cap(w.vals.tets)])
	clear(w.vals.elems[:cap(w.vals.elems)])
	clear(w.vals.results[:cap(w.vals.results)])
	clear(w.vals.services[:cap(w.vals.services)])
	writers.Put(w)
}

func (w *writer) pos() int { return len(w.buf) - w.base }

// positions returns n elements of the writer's scratch array of archive positions,
// reused by each list the writer lays out (the trace, then each store); their contents
// are unspecified until written.
func (w *writer) positions(n int) []int {
	w.deps = slices.Grow(w.deps[:0], n)[:n]
	return w.deps
}

// align4 pads with zeros to a multiple of 4 and returns the position.
func (w *writer) align4() int {
	for w.pos()%4 != 0 {
		w.buf = append(w.buf, 0)
	}
	return w.pos()
}

// alloc appends n zero bytes at an aligned position and returns that position.
func (w *writer) alloc(n int) int {
	p := w.align4()
	l := len(w.buf)
	w.buf = slices.Grow(w.buf, n)[:l+n]
	clear(w.buf[l:])
	return p
}

func (w *writer) put32(at int, v uint32) { binary.BigEndian.PutUint32(w.buf[w.base+at:], v) }

// ptr writes at `at` the relative offset to target.
func (w *writer) ptr(at, target int) { w.put32(at, uint32(int32(target-at))) }

// fat writes a relative pointer and a length.
func (w *writer) fat(at, target, n int) {
	w.ptr(at, target)
	w.put32(at+4, uint32(n))
}

// raw writes bytes without alignment and returns their position.
func (w *writer) raw(s string) int {
	p := w.pos()
	w.buf = append(w.buf, s...)
	return p
}

// rcStr writes (or reuses) the target of an Rc<str>. An empty target gets a padding
// byte so that its position stays unique, as rkyv's serializer does.
func (w *writer) rcStr(s string) int {
	if p, ok := w.strs[s]; ok {
		return p
	}
	p := w.raw(s)
	if len(s) == 0 {
		w.buf = append(w.buf, 0)
	}
	w.strs[s] = p
	return p
}

// stringDeps writes the out-of-line bytes of an ArchivedString, if any (-1 if inline).
func (w *writer) stringDeps(s string) int {
	if len(s) <= 7 {
		return -1
	}
	return w.raw(s)
}

// archivedString fills the 8-byte ArchivedString at `at`; dep is stringDeps' result.
func (w *writer) archivedString(at int, s string, dep int) {
	b := w.buf[w.base+at : w.base+at+8]
	if len(s) <= 7 {
		copy(b, s)
		b[7] = byte(len(s))
		return
	}
	binary.BigEndian.PutUint32(b, uint32(len(s)))
	binary.LittleEndian.PutUint32(b[4:], uint32(int32(dep-at)))
}

// rcString writes (or reuses) the ArchivedString target of an Rc<String>.
func (w *writer) rcString(s string) int {
	if p, ok := w.strings[s]; ok {
		return p
	}
	dep := w.stringDeps(s)
	p := w.alloc(stringSize)
	w.archivedString(p, s, dep)
	if w.strings == nil {
		w.strings = make(map[string]int)
	}
	w.strings[s] = p
	return p
}

func (w *writer) data(d *Data) {
	trace := w.trace(d.Trace)
	ci := &d.CidInfo
	stores := [5]int{
		w.valueStore(ci.ValueStore),
		w.tetrapletStore(ci.TetrapletStore),
		w.canonElementStore(ci.CanonElementStore),
		w.canonResultStore(ci.CanonResultStore),
		w.serviceResultStore(ci.ServiceResultStore),
	}
	sigs := w.signatures(d.Signatures)
	root := w.alloc(rootSize)
	w.fat(root, trace, len(d.Trace))
	w.put32(root+8, d.LastCallRequestID)
	counts := [5]int{len(ci.ValueStore), len(ci.TetrapletStore), len(ci.CanonElementStore), len(ci.CanonResultStore), len(ci.ServiceResultStore)}
	for i := range stores {
		w.fat(root+12+8*i, stores[i], counts[i])
	}
	w.fat(root+52, sigs, len(d.Signatures))
}

func (w *writer) trace(trace []State) int {
	// all dependencies of all states first, then the array
	deps := w.positions(len(trace))
	for i := range trace {
		st := &trace[i]
		switch st.Kind {
		case StateCall:
			switch st.Call.Kind {
			case CallSentBy:
				deps[i] = w.rcString(st.Call.SenderPeer)
			case CallExecuted:
				deps[i] = w.rcStr(st.Call.Value.CID)
			default:
				deps[i] = w.rcStr(st.Call.FailedCID)
			}
		case StateFold:
			deps[i] = w.lore(st.Lore)
		case StateAp:
			p := w.alloc(genSize * len(st.Gens))
			for j, g := range st.Gens {
				w.put32(p+genSize*j, g)
			}
			deps[i] = p
		case StateCanon:
			if st.Canon.Executed {
				deps[i] = w.rcStr(st.Canon.CID)
			} else {
				deps[i] = w.rcString(st.Canon.PeerID)
			}
		}
	}
	start := w.alloc(stateSize * len(trace))
	for i := range trace {
		st := &trace[i]
		p := start + stateSize*i
		w.buf[w.base+p] = byte(st.Kind)
		switch st.Kind {
		case StatePar:
			w.put32(p+4, st.Left)
			w.put32(p+8, st.Right)
		case StateCall:
			c := &st.Call
			w.buf[w.base+p+4] = byte(c.Kind)
			switch c.Kind {
			case CallSentBy:
				if c.WithCallID {
					w.buf[w.base+p+8] = 1
					w.put32(p+16, c.CallID)
				}
				w.ptr(p+12, deps[i])
			case CallExecuted:
				w.buf[w.base+p+8] = byte(c.Value.Kind)
				w.fat(p+12, deps[i], len(c.Value.CID))
				if c.Value.Kind == ValueStream {
					w.put32(p+20, c.Value.Generation)
				}
			default:
				w.fat(p+8, deps[i], len(c.FailedCID))
			}
		case StateFold:
			w.fat(p+4, deps[i], len(st.Lore))
		case StateAp:
			w.fat(p+4, deps[i], len(st.Gens))
		case StateCanon:
			if st.Canon.Executed {
				w.buf[w.base+p+4] = 1
				w.fat(p+8, deps[i], len(st.Canon.CID))
			} else {
				w.ptr(p+8, deps[i])
			}
		}
	}
	return start
}

func (w *writer) lore(lore []FoldLore) int {
	descs := make([]int, len(lore))
	for i, l := range lore {
		p := w.alloc(descSize * len(l.Desc))
		for j, d := range l.Desc {
			w.put32(p+descSize*j, d.BeginPos)
			w.put32(p+descSize*j+4, d.Len)
		}
		descs[i] = p
	}
	start := w.alloc(loreSize * len(lore))
	for i, l := range lore {
		p := start + loreSize*i
		w.put32(p, l.ValuePos)
		w.fat(p+4, descs[i], len(l.Desc))
	}
	return start
}

// entries writes a store: for each entry in key order, the key target and the value
// (written by value, returning its position), then the array of entries.
func entries[V any](w *writer, m map[string]V, buf *[]V, value func(V) int) int {
	keys, vals := w.keys[:0], (*buf)[:0]
	for k, v := range m {
		keys = append(keys, k)
		vals = append(vals, v)
	}
	w.keys, *buf = keys, vals
	perm := w.sorter.Perm(keys)
	deps := w.positions(2 * len(perm))
	for j, i := range perm {
		deps[2*j] = w.rcStr(keys[i])
		deps[2*j+1] = value(vals[i])
	}
	start := w.alloc(entrySize * len(perm))
	for j, i := range perm {
		p := start + entrySize*j
		w.fat(p, deps[2*j], len(keys[i]))
		w.ptr(p+8, deps[2*j+1])
	}
	return start
}

func (w *writer) valueStore(m map[string]string) int {
	return entries(w, m, &w.vals.strs, func(v string) int {
		t := w.raw(v)
		p := w.alloc(rawValueSize)
		w.fat(p, t, len(v))
		return p
	})
}

func (w *writer) tetrapletStore(m map[string]Tetraplet) int {
	return entries(w, m, &w.vals.tets, func(t Tetraplet) int {
		fields := [4]string{t.PeerPK, t.ServiceID, t.FunctionName, t.Lens}
		var deps [4]int
		for i, f := range fields {
			deps[i] = w.stringDeps(f)
		}
		p := w.alloc(tetrapletSize)
		for i, f := range fields {
			w.archivedString(p+8*i, f, deps[i])
		}
		return p
	})
}

func (w *writer) canonElementStore(m map[string]CanonElement) int {
	return entries(w, m, &w.vals.elems, func(e CanonElement) int {
		v := w.rcStr(e.Value)
		t := w.rcStr(e.Tetraplet)
		c := 0
		if e.Provenance.Kind != ProvenanceLiteral {
			c = w.rcStr(e.Provenance.CID)
		}
		p := w.alloc(canonElemSize)
		w.fat(p, v, len(e.Value))
		w.fat(p+8, t, len(e.Tetraplet))
		w.buf[w.base+p+16] = byte(e.Provenance.Kind)
		if e.Provenance.Kind != ProvenanceLiteral {
			w.fat(p+20, c, len(e.Provenance.CID))
		}
		return p
	})
}

func (w *writer) canonResultStore(m map[string]CanonResultAgg) int {
	return entries(w, m, &w.vals.results, func(e CanonResultAgg) int {
		t := w.rcStr(e.Tetraplet)
		deps := make([]int, len(e.Values))
		for i, v := range e.Values {
			deps[i] = w.rcStr(v)
		}
		vals := w.alloc(cidSize * len(e.Values))
		for i, v := range e.Values {
			w.fat(vals+cidSize*i, deps[i], len(v))
		}
		p := w.alloc(canonAggSize)
		w.fat(p, t, len(e.Tetraplet))
		w.fat(p+8, vals, len(e.Values))
		return p
	})
}

func (w *writer) serviceResultStore(m map[string]ServiceResultAgg) int {
	return entries(w, m, &w.vals.services, func(e ServiceResultAgg) int {
		v := w.rcStr(e.ValueCID)
		a := w.rcStr(e.ArgumentHash)
		t := w.rcStr(e.TetrapletCID)
		p := w.alloc(serviceAggSz)
		w.fat(p, v, len(e.ValueCID))
		w.fat(p+8, a, len(e.ArgumentHash))
		w.fat(p+16, t, len(e.TetrapletCID))
		return p
	})
}

func (w *writer) signatures(m map[string]string) int {
	keys := slices.Sorted(maps.Keys(m))
	deps := make([]int, 2*len(keys))
	for i, k := range keys {
		deps[2*i] = w.raw(k)
		deps[2*i+1] = w.raw(m[k])
	}
	start := w.alloc(sigEntrySize * len(keys))
	for i, k := range keys {
		p := start + sigEntrySize*i
		w.fat(p, deps[2*i], len(k))
		w.fat(p+8, deps[2*i+1], len(m[k]))
	}
	return start
}
