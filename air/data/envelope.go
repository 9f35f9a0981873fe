package data

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/cascadep2p/cascade/air/internal/rustfmt"
)

// Envelope is the outer MessagePack layer of interpreter data.
type Envelope struct {
	// Empty is set for empty input, which AquaVM treats as "no data" (then Version is
	// FormatVersion, InterpreterVersion is MinInterpreterVersion and Inner is nil).
	Empty              bool
	Version            string
	InterpreterVersion string
	// Inner is the rkyv archive; it aliases the input bytes.
	Inner []byte
}

// ParseEnvelope reads the MessagePack envelope the way AquaVM 0.62 does (rmp-serde with a
// flattened serde struct): a map looked up by key name in any order, any MessagePack
// header widths, unknown keys ignored, duplicate keys and non-semver versions rejected,
// inner_data accepted as bin, str or an array of bytes, trailing bytes ignored. Empty
// input gives an Empty envelope. Errors are *DecodeError of KindEnvelope (or KindLimit).
//
// To fail exactly where AquaVM fails, an interpreter does, in this order: ParseEnvelope
// of prev_data, ParseEnvelope of the current data, CheckVersion of the current data's
// InterpreterVersion, then Decode of the prev_data envelope and of the current one.
func ParseEnvelope(b []byte, lim Limits) (*Envelope, error) {
	if len(b) == 0 {
		return &Envelope{Empty: true, Version: FormatVersion, InterpreterVersion: MinInterpreterVersion}, nil
	}
	if lim.MaxBytes > 0 && len(b) > lim.MaxBytes {
		return nil, limitErr("data is %d bytes, limit is %d", len(b), lim.MaxBytes)
	}
	env, e := parseEnvelope(b)
	if e == nil {
		return env, nil
	}
	de := &DecodeError{Kind: KindEnvelope, Msg: e.display, debug: e.debug}
	if v, iv, ok := parseVersionsOnly(b); ok {
		de.HasVersions, de.Version, de.InterpreterVersion = true, v, iv
	}
	return nil, de
}

// Decode decodes the archive of a parsed envelope (empty data for an Empty envelope) and
// records the envelope versions in the result.
func (e *Envelope) Decode(lim Limits) (*Data, error) {
	if e.Empty {
		return New(), nil
	}
	d, err := DecodeArchive(e.Inner, lim)
	if err != nil {
		return nil, err
	}
	d.Version, d.InterpreterVersion = e.Version, e.InterpreterVersion
	return d, nil
}

// Decode decodes interpreter data bytes: empty input is empty data (New()), anything else
// must be a valid envelope around a valid archive. The envelope versions are recorded in
// Data.Version and Data.InterpreterVersion; they are not checked (see CheckVersion).
func Decode(b []byte, lim Limits) (*Data, error) {
	env, err := ParseEnvelope(b, lim)
	if err != nil {
		return nil, err
	}
	return env.Decode(lim)
}

// rmp-serde's default nesting limit: 1024 nested arrays and maps are too many.
const mpMaxDepth = 1024

// mpKind is the type of a MessagePack value.
type mpKind uint8

const (
	mpNil mpKind = iota
	mpBool
	mpUint
	mpInt
	mpFloat
	mpStr
	mpBin
	mpArray
	mpMap
	mpExt
)

// mpHead is one decoded MessagePack header with its scalar payload.
type mpHead struct {
	kind mpKind
	b    bool
	u    uint64
	i    int64
	f    float64
	data []byte // str / bin / ext payload
	n    int    // array / map element count
}

// unexpected renders the value like serde's Unexpected, for "invalid type" messages.
func (h *mpHead) unexpected() string {
	switch h.kind {
	case mpNil:
		return "unit value"
	case mpBool:
		return "boolean `" + strconv.FormatBool(h.b) + "`"
	case mpUint:
		return "integer `" + strconv.FormatUint(h.u, 10) + "`"
	case mpInt:
		return "integer `" + strconv.FormatInt(h.i, 10) + "`"
	case mpFloat:
		return "floating point `" + rustFloat(h.f) + "`"
	case mpStr:
		if utf8.Valid(h.data) {
			return "string " + rustfmt.DebugStr(string(h.data))
		}
		return "byte array"
	case mpBin:
		return "byte array"
	case mpArray:
		return "sequence"
	case mpMap:
		return "map"
	default:
		return "newtype struct"
	}
}

// rustFloat prints f like Rust's Display for f64.
func rustFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// mpReader reads MessagePack from a byte slice with rmp's failure modes.
type mpReader struct {
	b []byte
	p int
}

func (r *mpReader) take(n int, eof *envErr) ([]byte, *envErr) {
	if n < 0 || len(r.b)-r.p < n {
		r.p = len(r.b)
		return nil, eof
	}
	s := r.b[r.p : r.p+n]
	r.p += n
	return s, nil
}

func (r *mpReader) num(n int) (uint64, *envErr) {
	s, e := r.take(n, errNumberEOF)
	if e != nil {
		return 0, e
	}
	var u uint64
	for _, c := range s {
		u = u<<8 | uint64(c)
	}
	return u, nil
}

// head reads one value header and, for str / bin / ext, its payload.
func (r *mpReader) head() (mpHead, *envErr) {
	var h mpHead
	if r.p >= len(r.b) {
		return h, errMarkerEOF
	}
	m := r.b[r.p]
	r.p++
	var size uint64
	var e *envErr
	switch {
	case m <= 0x7f:
		h.kind, h.u = mpUint, uint64(m)
		return h, nil
	case m >= 0xe0:
		h.kind, h.i = mpInt, int64(int8(m))
		return h, nil
	case m >= 0x80 && m <= 0x8f:
		h.kind, h.n = mpMap, int(m&0x0f)
		return h, nil
	case m >= 0x90 && m <= 0x9f:
		h.kind, h.n = mpArray, int(m&0x0f)
		return h, nil
	case m >= 0xa0 && m <= 0xbf:
		h.kind = mpStr
		h.data, e = r.take(int(m&0x1f), errPayloadEOF)
		return h, e
	}
	switch m {
	case 0xc0:
		h.kind = mpNil
	case 0xc1:
		return h, errReserved
	case 0xc2, 0xc3:
		h.kind, h.b = mpBool, m == 0xc3
	case 0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb:
		h.kind = mpBin
		w := 1 << (m - 0xc4)
		if m >= 0xd9 {
			h.kind = mpStr
			w = 1 << (m - 0xd9)
		}
		if size, e = r.num(w); e != nil {
			return h, e
		}
		h.data, e = r.take(clampLen(size), errPayloadEOF)
	case 0xc7, 0xc8, 0xc9:
		h.kind = mpExt
		if size, e = r.num(1 << (m - 0xc7)); e != nil {
			return h, e
		}
		if _, e = r.num(1); e != nil {
			return h, e
		}
		h.data, e = r.take(clampLen(size), errPayloadEOF)
	case 0xca:
		h.kind = mpFloat
		size, e = r.num(4)
		h.f = float64(math.Float32frombits(uint32(size)))
	case 0xcb:
		h.kind = mpFloat
		size, e = r.num(8)
		h.f = math.Float64frombits(size)
	case 0xcc, 0xcd, 0xce, 0xcf:
		h.kind = mpUint
		h.u, e = r.num(1 << (m - 0xcc))
	case 0xd0, 0xd1, 0xd2, 0xd3:
		h.kind = mpInt
		w := 1 << (m - 0xd0)
		size, e = r.num(w)
		shift := 64 - 8*w
		h.i = int64(size<<shift) >> shift
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		h.kind = mpExt
		if _, e = r.num(1); e != nil {
			return h, e
		}
		h.data, e = r.take(1<<(m-0xd4), errPayloadEOF)
	case 0xdc, 0xdd:
		h.kind = mpArray
		size, e = r.num(2 << (m - 0xdc))
		h.n = clampLen(size)
	case 0xde, 0xdf:
		h.kind = mpMap
		size, e = r.num(2 << (m - 0xde))
		h.n = clampLen(size)
	}
	return h, e
}

func clampLen(u uint64) int {
	if u > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(u)
}

// skip reads the elements of a container header h (whose own header is already read)
// at nesting depth depth, the way serde's Content / IgnoredAny would consume them.
func (r *mpReader) skip(h *mpHead, depth int) *envErr {
	if h.kind != mpArray && h.kind != mpMap {
		return nil
	}
	if depth >= mpMaxDepth {
		return errDepth
	}
	n := h.n
	if h.kind == mpMap {
		n *= 2
	}
	for range n {
		c, e := r.head()
		if e != nil {
			return e
		}
		if e := r.skip(&c, depth+1); e != nil {
			return e
		}
	}
	return nil
}

// flatEntry is an entry of the envelope map kept for the flattened Versions struct.
type flatEntry struct {
	key   string
	value mpHead
}

// parseEnvelope is the strict primary reading of the envelope.
func parseEnvelope(b []byte) (*Envelope, *envErr) {
	r := &mpReader{b: b}
	top, e := r.head()
	if e != nil {
		return nil, e
	}
	if top.kind != mpMap {
		return nil, syntaxErr("invalid type: " + top.unexpected() + ", expected struct InterpreterDataEnvelope")
	}
	var inner []byte
	haveInner := false
	var flat []flatEntry
	for range top.n {
		k, e := r.head()
		if e != nil {
			return nil, e
		}
		isName := false
		switch k.kind {
		case mpStr, mpBin:
			isName = true
		case mpArray, mpMap, mpExt:
			return nil, syntaxErr("invalid type: " + k.unexpected() + ", expected field identifier")
		}
		if isName && string(k.data) == "inner_data" {
			if haveInner {
				return nil, syntaxErr("duplicate field `inner_data`")
			}
			if inner, e = r.bytesValue(); e != nil {
				return nil, e
			}
			haveInner = true
			continue
		}
		v, e := r.head()
		if e != nil {
			return nil, e
		}
		if e := r.skip(&v, 2); e != nil {
			return nil, e
		}
		if isName && utf8.Valid(k.data) {
			flat = append(flat, flatEntry{key: string(k.data), value: v})
		}
	}
	if !haveInner {
		return nil, syntaxErr("missing field `inner_data`")
	}
	env := &Envelope{Inner: inner}
	var haveV, haveIV bool
	for i := range flat {
		var dst *string
		var have *bool
		switch flat[i].key {
		case "version":
			dst, have = &env.Version, &haveV
		case "interpreter_version":
			dst, have = &env.InterpreterVersion, &haveIV
		default:
			continue
		}
		if *have {
			return nil, syntaxErr("duplicate field `" + flat[i].key + "`")
		}
		s, e := semverValue(&flat[i].value)
		if e != nil {
			return nil, e
		}
		*dst, *have = s, true
	}
	if !haveV {
		return nil, syntaxErr("missing field `version`")
	}
	if !haveIV {
		return nil, syntaxErr("missing field `interpreter_version`")
	}
	return env, nil
}

// semverValue accepts a MessagePack str holding a strict semver.
func semverValue(h *mpHead) (string, *envErr) {
	if h.kind != mpStr || !utf8.Valid(h.data) {
		return "", syntaxErr("invalid type: " + h.unexpected() + ", expected semver version")
	}
	s := string(h.data)
	if _, msg := parseSemver(s); msg != "" {
		return "", syntaxErr(msg)
	}
	return s, nil
}

// bytesValue reads inner_data as serde_bytes does: bin, str or an array of u8.
func (r *mpReader) bytesValue() ([]byte, *envErr) {
	h, e := r.head()
	if e != nil {
		return nil, e
	}
	switch h.kind {
	case mpBin, mpStr:
		return h.data, nil
	case mpArray:
		// each element takes at least one byte: bound the allocation by what is left
		out := make([]byte, 0, min(h.n, len(r.b)-r.p))
		for range h.n {
			c, e := r.head()
			if e != nil {
				return nil, e
			}
			switch {
			case c.kind == mpUint && c.u <= 255:
				out = append(out, byte(c.u))
			case c.kind == mpInt && c.i >= 0 && c.i <= 255:
				out = append(out, byte(c.i))
			case c.kind == mpUint || c.kind == mpInt:
				return nil, syntaxErr("invalid value: " + c.unexpected() + ", expected u8")
			default:
				return nil, syntaxErr("invalid type: " + c.unexpected() + ", expected u8")
			}
		}
		return out, nil
	}
	return nil, syntaxErr("invalid type: " + h.unexpected() + ", expected a byte array")
}

// parseVersionsOnly mirrors AquaVM's fallback that reads only the two versions (a plain,
// not flattened, serde struct): it succeeds when the whole value parses as a map with
// both versions (also under integer keys 0 and 1) or as a two-element array of them.
func parseVersionsOnly(b []byte) (string, string, bool) {
	r := &mpReader{b: b}
	top, e := r.head()
	if e != nil {
		return "", "", false
	}
	var vals [2]string
	var have [2]bool
	switch top.kind {
	case mpArray:
		if top.n != 2 {
			return "", "", false
		}
		for i := range 2 {
			h, e := r.head()
			if e != nil {
				return "", "", false
			}
			s, e := semverValue(&h)
			if e != nil {
				return "", "", false
			}
			vals[i] = s
		}
		return vals[0], vals[1], true
	case mpMap:
		for range top.n {
			k, e := r.head()
			if e != nil {
				return "", "", false
			}
			field := -1
			switch k.kind {
			case mpStr, mpBin:
				switch string(k.data) {
				case "version":
					field = 0
				case "interpreter_version":
					field = 1
				}
			case mpUint:
				if k.u < 2 {
					field = int(k.u)
				}
			default:
				return "", "", false
			}
			v, e := r.head()
			if e != nil {
				return "", "", false
			}
			if field < 0 {
				if r.skip(&v, 2) != nil {
					return "", "", false
				}
				continue
			}
			if have[field] {
				return "", "", false
			}
			s, e := semverValue(&v)
			if e != nil {
				return "", "", false
			}
			vals[field], have[field] = s, true
		}
		if have[0] && have[1] {
			return vals[0], vals[1], true
		}
	}
	return "", "", false
}

// appendEnvelope appends the envelope header the interpreter writes for an archive of n
// bytes: fixmap 3, the two version strings, then "inner_data" with the smallest bin header.
func appendEnvelope(dst []byte, n int) []byte {
	dst = append(dst, 0x83, 0xa7)
	dst = append(dst, "version"...)
	dst = append(dst, 0xa0|byte(len(FormatVersion)))
	dst = append(dst, FormatVersion...)
	dst = append(dst, 0xb3)
	dst = append(dst, "interpreter_version"...)
	dst = append(dst, 0xa0|byte(len(InterpreterVersion)))
	dst = append(dst, InterpreterVersion...)
	dst = append(dst, 0xaa)
	dst = append(dst, "inner_data"...)
	switch {
	case n <= 0xff:
		dst = append(dst, 0xc4, byte(n))
	case n <= 0xffff:
		dst = append(dst, 0xc5)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, 0xc6)
		dst = binary.BigEndian.AppendUint32(dst, uint32(n))
	}
	return dst
}

// envelopePrefixLen is the length of appendEnvelope's output before the bin header.
const envelopePrefixLen = 1 + 1 + 7 + 1 + len(FormatVersion) + 1 + 19 + 1 + len(InterpreterVersion) + 1 + 10

// binHeaderLen is the size of the smallest bin header for n bytes.
func binHeaderLen(n int) int {
	switch {
	case n <= 0xff:
		return 2
	case n <= 0xffff:
		return 3
	}
	return 5
}
