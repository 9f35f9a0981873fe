// Package jsjson handles JSON the way JavaScript does: JSON.parse reads every number as an
// IEEE double, objects order their keys as ECMAScript objects do, JSON.stringify prints
// numbers with Number::toString, and String() converts values as the language does.
//
// Values are nil (null), bool, float64, string, []any and *Object. The oracle's simulation
// (../shared/oracle/oracle.mjs) passes canned answers and interpreter output through
// JavaScript values; package sim uses this package to reproduce that byte for byte.
package jsjson

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Object is a JavaScript object holding JSON values. Keys that are array indices come
// first in ascending numeric order, the others follow in insertion order, as in ECMAScript.
type Object struct {
	index []string // array-index keys, ascending
	names []string // other keys, insertion order
	m     map[string]any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{m: map[string]any{}} }

// arrayIndex reports whether k is a canonical array index (0 ≤ n < 2^32-1) and its value.
func arrayIndex(k string) (uint64, bool) {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// Set assigns v to key k; an existing key keeps its position, as assignment does in JavaScript.
func (o *Object) Set(k string, v any) {
	if o.m == nil {
		o.m = map[string]any{}
	}
	if _, ok := o.m[k]; ok {
		o.m[k] = v
		return
	}
	o.m[k] = v
	if n, ok := arrayIndex(k); ok {
		i := sort.Search(len(o.index), func(i int) bool {
			m, _ := arrayIndex(o.index[i])
			return m > n
		})
		o.index = append(o.index, "")
		copy(o.index[i+1:], o.index[i:])
		o.index[i] = k
		return
	}
	o.names = append(o.names, k)
}

// Get returns the value of key k and whether the object has that key.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.m[k]
	return v, ok
}

// Has reports whether the object has key k.
func (o *Object) Has(k string) bool {
	_, ok := o.Get(k)
	return ok
}

// Len is the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.m)
}

// Keys returns the keys in JavaScript enumeration order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	ks := make([]string, 0, len(o.m))
	ks = append(ks, o.index...)
	return append(ks, o.names...)
}

// ---------------------------------------------------------------- parse

// Parse reads JSON text as JavaScript's JSON.parse does: numbers become float64 (rounded
// to the nearest double, ±Inf beyond its range), a repeated key keeps its first position
// and its last value.
func Parse(b []byte) (any, error) {
	p := parser{s: b}
	p.ws()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, p.errorf("unexpected non-whitespace character after JSON")
	}
	return v, nil
}

type parser struct {
	s []byte
	i int
}

const maxDepth = 10000

func (p *parser) errorf(format string, a ...any) error {
	return fmt.Errorf("jsjson: %s at position %d", fmt.Sprintf(format, a...), p.i)
}

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) lit(word string, v any) (any, error) {
	if !strings.HasPrefix(string(p.s[p.i:min(len(p.s), p.i+len(word))]), word) {
		return nil, p.errorf("unexpected token")
	}
	p.i += len(word)
	return v, nil
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errorf("nesting too deep")
	}
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of JSON input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		o := NewObject()
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return o, nil
		}
		for {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return nil, p.errorf("expected a property name")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.errorf("expected ':'")
			}
			p.i++
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			o.Set(k, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return o, nil
			}
			return nil, p.errorf("expected ',' or '}'")
		}
	case c == '[':
		p.i++
		a := []any{}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return a, nil
		}
		for {
			p.ws()
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return a, nil
			}
			return nil, p.errorf("expected ',' or ']'")
		}
	case c == '"':
		return p.str()
	case c == 't':
		return p.lit("true", true)
	case c == 'f':
		return p.lit("false", false)
	case c == 'n':
		return p.lit("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.num()
	default:
		return nil, p.errorf("unexpected token")
	}
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

func (p *parser) num() (any, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if p.digits() == 0 {
		return nil, p.errorf("no number after minus sign")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return nil, p.errorf("unterminated fractional number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return nil, p.errorf("exponent part is missing a number")
		}
	}
	f, err := strconv.ParseFloat(string(p.s[start:p.i]), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, p.errorf("bad number")
	}
	return f, nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// str reads a string literal. A lone surrogate escape becomes U+FFFD: Go strings hold
// UTF-8, which cannot carry one.
func (p *parser) str() (string, error) {
	p.i++ // opening quote
	var sb strings.Builder
	for {
		if p.i >= len(p.s) {
			return "", p.errorf("unterminated string")
		}
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return sb.String(), nil
		case c < 0x20:
			return "", p.errorf("bad control character in string literal")
		case c == '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", p.errorf("unterminated string")
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				sb.WriteByte(e)
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case 'u':
				r, ok := hex4(p.s[p.i:])
				if !ok {
					return "", p.errorf("bad Unicode escape")
				}
				p.i += 4
				if utf16.IsSurrogate(r) && r < 0xdc00 && p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					if r2, ok := hex4(p.s[p.i+2:]); ok && r2 >= 0xdc00 && r2 < 0xe000 {
						p.i += 6
						r = utf16.DecodeRune(r, r2)
					}
				}
				sb.WriteRune(r) // a lone surrogate is written as U+FFFD
			default:
				return "", p.errorf("bad escaped character")
			}
		default:
			r, n := utf8.DecodeRune(p.s[p.i:])
			sb.WriteRune(r)
			p.i += n
		}
	}
}

// ---------------------------------------------------------------- numbers and strings

// FormatNumber prints f as ECMAScript's Number::toString does (1.0 → "1", -0 → "0",
// 1e21 → "1e+21", 1e-7 → "1e-7"); NaN and ±Infinity print as "NaN", "Infinity", "-Infinity".
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // shortest digits that round-trip: d.ddde±XX
	e := strings.IndexByte(s, 'e')
	digits := strings.Replace(s[:e], ".", "", 1)
	exp, _ := strconv.Atoi(s[e+1:])
	k, n := len(digits), exp+1
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	m := digits[:1]
	if k > 1 {
		m += "." + digits[1:]
	}
	if n-1 >= 0 {
		return sign + m + "e+" + strconv.Itoa(n-1)
	}
	return sign + m + "e-" + strconv.Itoa(1-n)
}

// Number rounds a decimal JSON number text to a double and prints it as JavaScript does.
func Number(text string) (string, error) {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "", err
	}
	if math.IsInf(f, 0) {
		return "null", nil
	}
	return FormatNumber(f), nil
}

// ToString converts a value as JavaScript's String(v) does: arrays join their elements
// with commas (null elements as ""), objects give "[object Object]".
func ToString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return FormatNumber(x)
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			if e != nil {
				parts[i] = ToString(e)
			}
		}
		return strings.Join(parts, ",")
	case *Object:
		return "[object Object]"
	}
	panic(fmt.Sprintf("jsjson: not a JSON value: %T", v))
}

// Truthy reports whether a value is truthy in JavaScript (false for null, false, 0, NaN and "").
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

// CompareStrings orders strings by UTF-16 code units, as JavaScript's default sort does.
func CompareStrings(a, b string) int {
	if a == b {
		return 0
	}
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

// ---------------------------------------------------------------- stringify

// Stringify prints v as JSON.stringify(v) does.
func Stringify(v any) string {
	var sb strings.Builder
	write(&sb, v, "", "")
	return sb.String()
}

// Indent prints v as JSON.stringify(v, null, indent) does, with indent given as a string.
func Indent(v any, indent string) string {
	var sb strings.Builder
	write(&sb, v, indent, "")
	return sb.String()
}

func write(sb *strings.Builder, v any, indent, cur string) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			sb.WriteString("null")
		} else {
			sb.WriteString(FormatNumber(x))
		}
	case string:
		Quote(sb, x)
	case []any:
		if len(x) == 0 {
			sb.WriteString("[]")
			return
		}
		inner := cur + indent
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			if indent != "" {
				sb.WriteString("\n" + inner)
			}
			write(sb, e, indent, inner)
		}
		if indent != "" {
			sb.WriteString("\n" + cur)
		}
		sb.WriteByte(']')
	case *Object:
		if x.Len() == 0 {
			sb.WriteString("{}")
			return
		}
		inner := cur + indent
		sb.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				sb.WriteByte(',')
			}
			if indent != "" {
				sb.WriteString("\n" + inner)
			}
			Quote(sb, k)
			sb.WriteByte(':')
			if indent != "" {
				sb.WriteByte(' ')
			}
			write(sb, x.m[k], indent, inner)
		}
		if indent != "" {
			sb.WriteString("\n" + cur)
		}
		sb.WriteByte('}')
	default:
		panic(fmt.Sprintf("jsjson: not a JSON value: %T", v))
	}
}

// Quote writes s as a JSON string literal escaped as JSON.stringify escapes it.
func Quote(sb *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	sb.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			if c < utf8.RuneSelf {
				sb.WriteByte(c)
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			sb.WriteRune(r)
			i += n
			continue
		}
		switch c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			sb.WriteString(`\u00`)
			sb.WriteByte(hexDigits[c>>4])
			sb.WriteByte(hexDigits[c&0xf])
		}
		i++
	}
	sb.WriteByte('"')
}

// Equal reports whether two values print the same with Stringify.
func Equal(a, b any) bool { return Stringify(a) == Stringify(b) }
