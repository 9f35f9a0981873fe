package value

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// SyntaxError is a JSON parse error, worded and positioned as serde_json reports
// it: Msg is serde_json's text for the error code, Line counts from 1 and Column
// counts bytes from the start of the line (0 before the first byte).
type SyntaxError struct {
	Msg    string
	Line   int
	Column int
}

// Error returns serde_json's Display form, "<msg> at line <l> column <c>".
func (e *SyntaxError) Error() string {
	return e.Msg + " at line " + strconv.Itoa(e.Line) + " column " + strconv.Itoa(e.Column)
}

// serde_json error texts.
const (
	errEOFList         = "EOF while parsing a list"
	errEOFObject       = "EOF while parsing an object"
	errEOFString       = "EOF while parsing a string"
	errEOFValue        = "EOF while parsing a value"
	errExpectedColon   = "expected `:`"
	errListCommaOrEnd  = "expected `,` or `]`"
	errObjCommaOrEnd   = "expected `,` or `}`"
	errExpectedIdent   = "expected ident"
	errExpectedValue   = "expected value"
	errInvalidEscape   = "invalid escape"
	errInvalidNumber   = "invalid number"
	errNumberRange     = "number out of range"
	errInvalidCode     = "invalid unicode code point"
	errControlChar     = "control character (\\u0000-\\u001F) found while parsing a string"
	errKeyMustBeString = "key must be a string"
	errLoneSurrogate   = "lone leading surrogate in hex escape"
	errTrailingComma   = "trailing comma"
	errTrailingChars   = "trailing characters"
	errEndOfHexEscape  = "unexpected end of hex escape"
	errRecursionLimit  = "recursion limit exceeded"
)

// maxDepth is serde_json's recursion limit: 127 nested arrays/objects parse, 128 do not.
const maxDepth = 128

// Parse parses text as serde_json::from_slice parses it into AquaVM's JValue.
// Whitespace (space, \t, \n, \r) may surround the value; anything else after it is
// an error. Duplicate object keys keep the last value. A number without fraction or
// exponent stays an integer when it fits u64 (non-negative) or i64 (negative);
// everything else, including "-0" and integers too large for 64 bits, becomes a
// float computed with serde_json's (not always correctly rounded) algorithm. Errors
// are *SyntaxError values carrying serde_json's message and position.
func Parse(text []byte) (Value, error) {
	return parse(text, string(text))
}

// ParseString is Parse for a string; the strings of the result share its memory.
func ParseString(text string) (Value, error) {
	return parse(unsafe.Slice(unsafe.StringData(text), len(text)), text)
}

// parserPool keeps parsers (with their container stacks) between calls.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

func parse(text []byte, src string) (Value, error) {
	p := parserPool.Get().(*parser)
	p.data, p.src, p.i, p.depth = text, src, 0, maxDepth
	v, err := p.parseValue()
	if err == nil {
		if _, ok := p.skipSpace(); ok {
			v, err = nil, p.peekError(errTrailingChars)
		}
	}
	// Closed containers cleared their part of the stacks; only an error leaves entries
	// (clearing the whole capacity made every small parse after a big one pay for it).
	clear(p.vals)
	clear(p.keys)
	p.vals, p.keys = p.vals[:0], p.keys[:0]
	p.data, p.src, p.last, p.lastVal = nil, "", "", nil
	parserPool.Put(p)
	if err != nil {
		return nil, err
	}
	return v, nil
}

type parser struct {
	data  []byte
	src   string // data as one string: unescaped strings are substrings of it
	i     int
	depth int

	// Elements of the arrays and objects being parsed, stacked so that each
	// container is allocated once, at its final size.
	vals []Value
	keys []string

	// The last string parsed, boxed: repeated strings share one box.
	last    string
	lastVal Value

	boxes boxes
}

// boxNumber boxes a parsed number, or passes its error on.
func (p *parser) boxNumber(n Number, err error) (Value, error) {
	if err != nil {
		return nil, err
	}
	return p.boxes.number(n), nil
}

// errorAt reports msg at the position serde_json computes for byte index idx.
func (p *parser) errorAt(idx int, msg string) error {
	line, col := 1, 0
	for _, c := range p.data[:idx] {
		if c == '\n' {
			line++
			col = 0
		} else {
			col++
		}
	}
	return &SyntaxError{Msg: msg, Line: line, Column: col}
}

// error is serde_json's error(): a fault in the byte just consumed.
func (p *parser) error(msg string) error { return p.errorAt(p.i, msg) }

// peekError is serde_json's peek_error(): a fault in the byte not yet consumed.
func (p *parser) peekError(msg string) error {
	return p.errorAt(min(len(p.data), p.i+1), msg)
}

// skipSpace skips JSON whitespace and returns the next byte without consuming it.
func (p *parser) skipSpace() (byte, bool) {
	for p.i < len(p.data) {
		switch c := p.data[p.i]; c {
		case ' ', '\n', '\t', '\r':
			p.i++
		default:
			return c, true
		}
	}
	return 0, false
}

// peekOrNull returns the next byte, or 0 at the end of the input.
func (p *parser) peekOrNull() byte {
	if p.i < len(p.data) {
		return p.data[p.i]
	}
	return 0
}

func (p *parser) parseValue() (Value, error) {
	c, ok := p.skipSpace()
	if !ok {
		return nil, p.peekError(errEOFValue)
	}
	switch c {
	case 'n':
		p.i++
		return nil, p.parseIdent("ull")
	case 't':
		p.i++
		return true, p.parseIdent("rue")
	case 'f':
		p.i++
		return false, p.parseIdent("alse")
	case '-':
		p.i++
		return p.boxNumber(p.parseInteger(false))
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.boxNumber(p.parseInteger(true))
	case '"':
		p.i++
		return p.parseString()
	case '[':
		p.depth--
		if p.depth == 0 {
			return nil, p.peekError(errRecursionLimit)
		}
		p.i++
		v, err := p.parseArray()
		p.depth++
		return v, err
	case '{':
		p.depth--
		if p.depth == 0 {
			return nil, p.peekError(errRecursionLimit)
		}
		p.i++
		v, err := p.parseObject()
		p.depth++
		return v, err
	}
	return nil, p.peekError(errExpectedValue)
}

func (p *parser) parseIdent(rest string) error {
	for j := 0; j < len(rest); j++ {
		if p.i >= len(p.data) {
			return p.error(errEOFValue)
		}
		c := p.data[p.i]
		p.i++
		if c != rest[j] {
			return p.error(errExpectedIdent)
		}
	}
	return nil
}

// parseArray parses the elements after '[' and the closing ']'.
func (p *parser) parseArray() (Value, error) {
	base := len(p.vals)
	first := true
	for {
		c, ok := p.skipSpace()
		if !ok {
			return nil, p.peekError(errEOFList)
		}
		if c == ']' {
			p.i++
			arr := make([]Value, len(p.vals)-base)
			copy(arr, p.vals[base:])
			clear(p.vals[base:])
			p.vals = p.vals[:base]
			return arr, nil
		}
		if c == ',' && !first {
			p.i++
			c, ok = p.skipSpace()
			if !ok {
				return nil, p.peekError(errEOFValue)
			}
			if c == ']' {
				return nil, p.peekError(errTrailingComma)
			}
		} else if first {
			first = false
		} else {
			return nil, p.peekError(errListCommaOrEnd)
		}
		v, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		p.vals = append(p.vals, v)
	}
}

// parseObject parses the entries after '{' and the closing '}'.
func (p *parser) parseObject() (Value, error) {
	base := len(p.vals)
	first := true
	for {
		c, ok := p.skipSpace()
		if !ok {
			return nil, p.peekError(errEOFObject)
		}
		if c == '}' {
			p.i++
			n := len(p.vals) - base
			keys, vals := p.keys[len(p.keys)-n:], p.vals[base:]
			var o *Object
			if n <= 4 && sortedUnique(keys) {
				o = newSmallObject(keys, vals)
			} else {
				o = fromPairs(slices.Clone(keys), slices.Clone(vals))
			}
			clear(vals)
			clear(keys)
			p.vals = p.vals[:base]
			p.keys = p.keys[:len(p.keys)-n]
			return o, nil
		}
		if c == ',' && !first {
			p.i++
			c, ok = p.skipSpace()
			if !ok {
				return nil, p.peekError(errEOFValue)
			}
		} else if first {
			first = false
		} else {
			return nil, p.peekError(errObjCommaOrEnd)
		}
		switch c {
		case '"':
		case '}':
			return nil, p.peekError(errTrailingComma)
		default:
			return nil, p.peekError(errKeyMustBeString)
		}
		p.i++
		key, err := p.parseStr()
		if err != nil {
			return nil, err
		}
		c, ok = p.skipSpace()
		if !ok {
			return nil, p.peekError(errEOFObject)
		}
		if c != ':' {
			return nil, p.peekError(errExpectedColon)
		}
		p.i++
		v, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, key)
		p.vals = append(p.vals, v)
	}
}

// needsEscape marks the bytes that end a run of plain string bytes.
var needsEscape = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// parseString parses a string body after the opening quote.
func (p *parser) parseString() (Value, error) {
	s, err := p.parseStr()
	if err != nil {
		return nil, err
	}
	if p.lastVal != nil && s == p.last {
		return p.lastVal, nil
	}
	v := p.boxes.string(s)
	p.last, p.lastVal = s, v
	return v, nil
}

// parseStr parses a string body after the opening quote.
func (p *parser) parseStr() (string, error) {
	var scratch []byte
	start := p.i
	ascii := true
	for {
		var plainASCII bool
		p.i, plainASCII = plainEnd(p.data, p.i)
		ascii = ascii && plainASCII
		if p.i == len(p.data) {
			return "", p.error(errEOFString)
		}
		switch p.data[p.i] {
		case '"':
			var s string
			if scratch == nil {
				s = p.src[start:p.i]
			} else {
				scratch = append(scratch, p.data[start:p.i]...)
				s = string(scratch)
			}
			p.i++
			if !(ascii && scratch == nil) && !utf8.ValidString(s) {
				return "", p.error(errInvalidCode)
			}
			return s, nil
		case '\\':
			scratch = append(scratch, p.data[start:p.i]...)
			p.i++
			var err error
			if scratch, err = p.parseEscape(scratch); err != nil {
				return "", err
			}
			start = p.i
		default:
			p.i++
			return "", p.error(errControlChar)
		}
	}
}

// parseEscape decodes the escape after a backslash into scratch.
func (p *parser) parseEscape(scratch []byte) ([]byte, error) {
	if p.i >= len(p.data) {
		return nil, p.error(errEOFString)
	}
	c := p.data[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		return append(scratch, c), nil
	case 'b':
		return append(scratch, '\b'), nil
	case 'f':
		return append(scratch, '\f'), nil
	case 'n':
		return append(scratch, '\n'), nil
	case 'r':
		return append(scratch, '\r'), nil
	case 't':
		return append(scratch, '\t'), nil
	case 'u':
	default:
		return nil, p.error(errInvalidEscape)
	}
	n1, err := p.hexEscape()
	if err != nil {
		return nil, err
	}
	switch {
	case n1 >= 0xDC00 && n1 <= 0xDFFF:
		return nil, p.error(errLoneSurrogate)
	case n1 >= 0xD800 && n1 <= 0xDBFF:
		for _, want := range [2]byte{'\\', 'u'} {
			if p.i >= len(p.data) {
				return nil, p.error(errEOFString)
			}
			got := p.data[p.i]
			p.i++
			if got != want {
				return nil, p.error(errEndOfHexEscape)
			}
		}
		n2, err := p.hexEscape()
		if err != nil {
			return nil, err
		}
		if n2 < 0xDC00 || n2 > 0xDFFF {
			return nil, p.error(errLoneSurrogate)
		}
		r := (rune(n1-0xD800)<<10 | rune(n2-0xDC00)) + 0x10000
		return utf8.AppendRune(scratch, r), nil
	}
	return utf8.AppendRune(scratch, rune(n1)), nil
}

// hexEscape reads the four hex digits of a \u escape.
func (p *parser) hexEscape() (uint16, error) {
	if p.i+4 > len(p.data) {
		p.i = len(p.data)
		return 0, p.error(errEOFString)
	}
	var n uint16
	for j := 0; j < 4; j++ {
		c := p.data[p.i]
		p.i++
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, p.error(errInvalidEscape)
		}
		n = n<<4 | uint16(d)
	}
	return n, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseInteger parses a number after its optional '-' (serde_json's parse_integer).
func (p *parser) parseInteger(positive bool) (Number, error) {
	if p.i >= len(p.data) {
		return Number{}, p.error(errEOFValue)
	}
	c := p.data[p.i]
	p.i++
	switch {
	case c == '0':
		if isDigit(p.peekOrNull()) {
			return Number{}, p.peekError(errInvalidNumber)
		}
		return p.parseNumber(positive, 0)
	case c >= '1' && c <= '9':
		sig := uint64(c - '0')
		for {
			c := p.peekOrNull()
			if !isDigit(c) {
				return p.parseNumber(positive, sig)
			}
			d := uint64(c - '0')
			if overflowU64(sig, d) {
				f, err := p.parseLongInteger(positive, sig)
				if err != nil {
					return Number{}, err
				}
				return Float(f), nil
			}
			p.i++
			sig = sig*10 + d
		}
	}
	return Number{}, p.error(errInvalidNumber)
}

func overflowU64(a, d uint64) bool {
	const m = math.MaxUint64
	return a >= m/10 && (a > m/10 || d > m%10)
}

func overflowI32(a, d int32) bool {
	const m = math.MaxInt32
	return a >= m/10 && (a > m/10 || d > m%10)
}

// parseNumber finishes a number whose integer part is sig.
func (p *parser) parseNumber(positive bool, sig uint64) (Number, error) {
	var f float64
	var err error
	switch p.peekOrNull() {
	case '.':
		f, err = p.parseDecimal(positive, sig, 0)
	case 'e', 'E':
		f, err = p.parseExponent(positive, sig, 0)
	default:
		if positive {
			return Uint(sig), nil
		}
		if neg := -int64(sig); neg < 0 {
			return Number{kind: negInt, bits: uint64(neg)}, nil
		}
		// Below i64::MIN, or "-0": serde_json falls back to a float.
		return Float(-float64(sig)), nil
	}
	if err != nil {
		return Number{}, err
	}
	return Float(f), nil
}

func (p *parser) parseDecimal(positive bool, sig uint64, expBefore int32) (float64, error) {
	p.i++ // '.'
	var expAfter int32
	for {
		c := p.peekOrNull()
		if !isDigit(c) {
			break
		}
		d := uint64(c - '0')
		if overflowU64(sig, d) {
			return p.parseDecimalOverflow(positive, sig, expBefore+expAfter)
		}
		p.i++
		sig = sig*10 + d
		expAfter--
	}
	if expAfter == 0 {
		if p.i < len(p.data) {
			return 0, p.peekError(errInvalidNumber)
		}
		return 0, p.peekError(errEOFValue)
	}
	exp := expBefore + expAfter
	if c := p.peekOrNull(); c == 'e' || c == 'E' {
		return p.parseExponent(positive, sig, exp)
	}
	return p.f64FromParts(positive, sig, exp)
}

func (p *parser) parseExponent(positive bool, sig uint64, startExp int32) (float64, error) {
	p.i++ // 'e' or 'E'
	positiveExp := true
	switch p.peekOrNull() {
	case '+':
		p.i++
	case '-':
		p.i++
		positiveExp = false
	}
	if p.i >= len(p.data) {
		return 0, p.error(errEOFValue)
	}
	c := p.data[p.i]
	p.i++
	if !isDigit(c) {
		return 0, p.error(errInvalidNumber)
	}
	exp := int32(c - '0')
	for {
		c := p.peekOrNull()
		if !isDigit(c) {
			break
		}
		p.i++
		d := int32(c - '0')
		if overflowI32(exp, d) {
			return p.parseExponentOverflow(positive, sig == 0, positiveExp)
		}
		exp = exp*10 + d
	}
	var final int32
	if positiveExp {
		final = saturatingAdd(startExp, exp)
	} else {
		final = saturatingAdd(startExp, -exp)
	}
	return p.f64FromParts(positive, sig, final)
}

func saturatingAdd(a, b int32) int32 {
	s := int64(a) + int64(b)
	if s > math.MaxInt32 {
		return math.MaxInt32
	}
	if s < math.MinInt32 {
		return math.MinInt32
	}
	return int32(s)
}

func (p *parser) parseExponentOverflow(positive, zeroSig, positiveExp bool) (float64, error) {
	if !zeroSig && positiveExp {
		return 0, p.error(errNumberRange)
	}
	for isDigit(p.peekOrNull()) {
		p.i++
	}
	if positive {
		return 0, nil
	}
	return math.Copysign(0, -1), nil
}

func (p *parser) parseDecimalOverflow(positive bool, sig uint64, exp int32) (float64, error) {
	// The remaining digits no longer fit and are ignored, as serde_json does.
	for isDigit(p.peekOrNull()) {
		p.i++
	}
	if c := p.peekOrNull(); c == 'e' || c == 'E' {
		return p.parseExponent(positive, sig, exp)
	}
	return p.f64FromParts(positive, sig, exp)
}

func (p *parser) parseLongInteger(positive bool, sig uint64) (float64, error) {
	var exp int32
	for {
		switch c := p.peekOrNull(); {
		case isDigit(c):
			p.i++
			exp++
		case c == '.':
			return p.parseDecimal(positive, sig, exp)
		case c == 'e' || c == 'E':
			return p.parseExponent(positive, sig, exp)
		default:
			return p.f64FromParts(positive, sig, exp)
		}
	}
}

// pow10 holds the correctly rounded doubles 1e0 … 1e308 (math.Pow10 is not
// guaranteed to round every entry correctly).
var pow10 = func() (t [309]float64) {
	for i := range t {
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i), 64)
	}
	return t
}()

// f64FromParts is serde_json's default (non float_roundtrip) conversion of
// sig × 10^exp: one multiplication or division by a power of ten, so results may
// differ from the correctly rounded value in the last bit.
func (p *parser) f64FromParts(positive bool, sig uint64, exp int32) (float64, error) {
	f := float64(sig)
	for {
		a := exp
		if a < 0 {
			a = -a // MinInt32 stays negative, like Rust's wrapping_abs, and misses the table
		}
		if a >= 0 && int(a) < len(pow10) {
			if exp >= 0 {
				f *= pow10[a]
				if math.IsInf(f, 0) {
					return 0, p.error(errNumberRange)
				}
			} else {
				f /= pow10[a]
			}
			break
		}
		if f == 0 {
			break
		}
		if exp >= 0 {
			return 0, p.error(errNumberRange)
		}
		f /= 1e308
		exp += 308
	}
	if !positive {
		f = -f
	}
	return f, nil
}

// Word-at-a-time (SWAR) constants: a byte value repeated in all eight bytes of a word.
const (
	swarOnes   = 0x0101010101010101
	swarHighs  = 0x8080808080808080
	swarQuote  = swarOnes * '"'
	swarBslash = swarOnes * '\\'
	swarCtrl   = swarOnes * 0x20
)

// escapeFlags sets the high bit of each byte of x that is a quote, a backslash or a
// control character, and possibly of bytes above the lowest such byte (a borrow only
// starts at a flagged byte): the lowest flag is exact, and x has none only if no byte
// needs escaping.
func escapeFlags(x uint64) uint64 {
	q, bs := x^swarQuote, x^swarBslash
	return (((q - swarOnes) &^ q) | ((bs - swarOnes) &^ bs) | ((x - swarCtrl) &^ x)) & swarHighs
}

// plainEnd returns the position of the first quote, backslash or control character at or
// after i in b (len(b) if there is none), and whether the bytes before it, from i, are all
// ASCII. Short inputs are checked a word at a time for all of them. Long ones are taken
// in windows of 16 KiB: each is searched for the quote and the backslash with
// bytes.IndexByte (vectorized), then checked 32 bytes at a time for control characters
// and non-ASCII bytes while it is still in the cache (12 % of a 100 MB service result's
// replay, against whole-input passes).
func plainEnd(b []byte, i int) (int, bool) {
	const (
		highs = swarHighs
		ctrl  = swarCtrl
	)
	rest := b[i:]
	ascii := true
	j := 0
	if len(rest) < 128 {
		for ; j+8 <= len(rest); j += 8 {
			x := binary.LittleEndian.Uint64(rest[j:])
			// The lowest flagged byte is exact (a borrow only starts at a flagged byte).
			if sp := escapeFlags(x) & highs; sp != 0 {
				k := bits.TrailingZeros64(sp)
				if x&highs&(1<<k-1) != 0 {
					ascii = false
				}
				return i + j + k/8, ascii
			}
			if x&highs != 0 {
				ascii = false
			}
		}
		for ; j < len(rest); j++ {
			if c := rest[j]; needsEscape[c] {
				return i + j, ascii
			} else if c >= utf8.RuneSelf {
				ascii = false
			}
		}
		return len(b), ascii
	}
	// Window by window, so that the passes after the first over a long run read it from
	// the cache.
	const window = 16 << 10
	for {
		n := min(j+window, len(rest))
		more := n < len(rest) // the window ends before the input does
		if q := bytes.IndexByte(rest[j:n], '"'); q >= 0 {
			n, more = j+q, false
		}
		if s := bytes.IndexByte(rest[j:n], '\\'); s >= 0 {
			n, more = j+s, false
		}
		for ; j+32 <= n; j += 32 {
			w := rest[j : j+32 : j+32]
			x0 := binary.LittleEndian.Uint64(w[0:])
			x1 := binary.LittleEndian.Uint64(w[8:])
			x2 := binary.LittleEndian.Uint64(w[16:])
			x3 := binary.LittleEndian.Uint64(w[24:])
			if ((x0-ctrl)|x0|(x1-ctrl)|x1|(x2-ctrl)|x2|(x3-ctrl)|x3)&highs == 0 {
				continue // 32 ASCII bytes, none below 0x20
			}
			if ((x0-ctrl)&^x0|(x1-ctrl)&^x1|(x2-ctrl)&^x2|(x3-ctrl)&^x3)&highs != 0 {
				break // a control character: the word loop below finds it
			}
			ascii = false
		}
		for ; j+8 <= n; j += 8 {
			x := binary.LittleEndian.Uint64(rest[j:])
			if ((x-ctrl)|x)&highs == 0 {
				continue // eight ASCII bytes, none below 0x20
			}
			if c := (x - ctrl) &^ x & highs; c != 0 {
				return i + j + bits.TrailingZeros64(c)/8, false
			}
			ascii = false
		}
		for ; j < n; j++ {
			if c := rest[j]; c < 0x20 {
				return i + j, false
			} else if c >= utf8.RuneSelf {
				ascii = false
			}
		}
		if !more {
			return i + n, ascii
		}
	}
}
