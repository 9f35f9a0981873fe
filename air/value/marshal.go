package value

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unsafe"
)

// Marshal returns the compact serde_json text of v. It panics if v holds a type
// that is not a Value.
func Marshal(v Value) []byte {
	return AppendJSON(make([]byte, 0, 64), v)
}

// AppendJSON appends the compact serde_json text of v to dst and returns the
// extended buffer: no whitespace, object keys in ascending byte order, strings
// escaped as serde_json escapes them, floats in ryu's shortest form. It panics if
// v holds a type that is not a Value.
func AppendJSON(dst []byte, v Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if x {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Number:
		return x.appendJSON(dst)
	case string:
		return appendString(dst, x)
	case []Value:
		return AppendArray(dst, x)
	case *Object:
		dst = append(dst, '{')
		if x != nil {
			for i, k := range x.keys {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendString(dst, k)
				dst = append(dst, ':')
				dst = AppendJSON(dst, x.vals[i])
			}
		}
		return append(dst, '}')
	}
	panic(fmt.Sprintf("value: %T is not a JSON value", v))
}

// escapeTable maps each byte to its escape: 0 for none, a letter for a short
// escape (\n), 'u' for \u00xx.
var escapeTable = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 'u'
	}
	t['\b'], t['\t'], t['\n'], t['\f'], t['\r'] = 'b', 't', 'n', 'f', 'r'
	t['"'], t['\\'] = '"', '\\'
	return t
}()

const hexDigits = "0123456789abcdef"

// AppendString appends the JSON text of the string s (AppendJSON without boxing s).
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }

// appendString appends s as a JSON string. Bytes are copied raw except for the
// quote, the backslash and control characters; invalid UTF-8 is not repaired.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	// Most strings need no escape at all: short ones are checked whole (plain), longer
	// ones scanned for the first byte that does (plainEnd); what precedes it is copied
	// at once.
	if len(s) < 128 && plain(b) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	i, _ := plainEnd(b, 0)
	if i == len(s) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i < len(s) {
		e := escapeTable[s[i]]
		dst = append(dst, s[start:i]...)
		if e == 'u' {
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[s[i]>>4], hexDigits[s[i]&0xf])
		} else {
			dst = append(dst, '\\', e)
		}
		start = i + 1
		i, _ = plainEnd(b, start)
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plain reports whether b has no byte a JSON string must escape: no quote, no
// backslash, no control character. It tests eight bytes at a time without stopping at
// the first hit (the rare string that has one is then scanned by plainEnd), the last
// word overlapping the one before it.
func plain(b []byte) bool {
	n := len(b)
	if n < 8 {
		for _, c := range b {
			if needsEscape[c] {
				return false
			}
		}
		return true
	}
	acc := escapeFlags(binary.LittleEndian.Uint64(b[n-8:]))
	for j := 0; j+8 <= n; j += 8 {
		acc |= escapeFlags(binary.LittleEndian.Uint64(b[j:]))
	}
	return acc == 0
}

// appendFloat appends f the way serde_json prints an f64 (ryu's format): the
// shortest round-trip digits d1…dn with decimal exponent k (f = 0.d1…dn × 10^k)
// are laid out as integral "ddd00.0" when n <= k <= 16, as "dd.dd" when 0 < k <= 16,
// as "0.000dd" when -5 < k <= 0, and in scientific "d.dde-7" form otherwise.
// Non-finite values print as null.
func appendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	var scratch [32]byte
	// 'e' with precision -1 gives the shortest digits: [-]d[.ddd]e±XX.
	b := strconv.AppendFloat(scratch[:0], f, 'e', -1, 64)
	if b[0] == '-' {
		dst = append(dst, '-')
		b = b[1:]
	}
	var digits [24]byte
	n := 0
	i := 0
	for ; b[i] != 'e'; i++ {
		if b[i] != '.' {
			digits[n] = b[i]
			n++
		}
	}
	i++ // skip 'e'
	neg := b[i] == '-'
	i++
	x := 0
	for ; i < len(b); i++ {
		x = x*10 + int(b[i]-'0')
	}
	if neg {
		x = -x
	}
	d := digits[:n]
	k := x + 1
	switch {
	case n <= k && k <= 16:
		dst = append(dst, d...)
		for j := n; j < k; j++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	case 0 < k && k <= 16:
		dst = append(dst, d[:k]...)
		dst = append(dst, '.')
		return append(dst, d[k:]...)
	case -5 < k && k <= 0:
		dst = append(dst, '0', '.')
		for j := k; j < 0; j++ {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	}
	dst = append(dst, d[0])
	if n > 1 {
		dst = append(dst, '.')
		dst = append(dst, d[1:]...)
	}
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(k-1), 10)
}

// SizeHint returns a lower bound of the length of v's JSON text, computed without looking
// at string contents (escapes are not counted): cheap enough to size a buffer with.
func SizeHint(v Value) int {
	switch x := v.(type) {
	case string:
		return len(x) + 2
	case []Value:
		n := len(x) + 1
		for _, e := range x {
			n += SizeHint(e)
		}
		return n
	case *Object:
		if x == nil {
			return 2
		}
		n := 2*len(x.keys) + 1
		for i, k := range x.keys {
			n += len(k) + 2 + SizeHint(x.vals[i])
		}
		return n
	case Number:
		return 1
	}
	return 4 // null, true, false
}

// AppendArray is AppendJSON of the array a, without boxing it into a Value.
func AppendArray(dst []byte, a []Value) []byte {
	dst = append(dst, '[')
	for i, e := range a {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSON(dst, e)
	}
	return append(dst, ']')
}
