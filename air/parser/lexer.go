package parser

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/cascadep2p/cascade/air/ast"
)

// lexError is an error of the AIR lexer: it stops the parse and is the only error reported.
type lexError struct {
	start, end int
	msg        string
}

func (e *lexError) Error() string { return e.msg }

// Lexer error messages, as AquaVM words them.
const (
	msgUnclosedQuote    = "this string literal has unclosed quote"
	msgEmptyString      = "empty string aren't allowed in this position"
	msgNotAlphanumeric  = "only alphanumeric, '_', and '-' characters are allowed in this position"
	msgEmptyTaggedName  = "a tagged name should be non empty"
	msgEmptyCanonName   = "a canon name should be non empty"
	msgEmptyVariable    = "this variable or constant shouldn't have empty name"
	msgInvalidLambda    = "invalid character in lambda"
	msgUnallowedInNum   = "a digit could contain only digits or one dot"
	msgTooBigFloat      = "this float is too big, a float could contain less than 12 digits"
	msgLeadingDot       = "leading dot without any symbols before - please write 0 if it's float or variable name if it's a lambda"
	msgIntInvalidDigit  = "invalid digit found in string"
	msgIntPosOverflow   = "number too large to fit in target type"
	msgIntNegOverflow   = "number too small to fit in target type"
	msgFloatInvalid     = "invalid float literal"
	maxSafeFloatLen     = 11
	errorKeyword        = ":error:"
	lastErrorKeyword    = "%last_error%"
	initPeerIDKeyword   = "%init_peer_id%"
	timestampKeyword    = "%timestamp%"
	ttlKeyword          = "%ttl%"
	depthLimitMsgPrefix = "instructions are nested deeper than "
)

// airToken is a token of the AIR lexer.
type airToken = lrToken[airSym]

// wordTok is a classified word: its terminal and value.
type wordTok struct {
	kind int
	v    ast.Value
}

// lexer splits an AIR script into tokens on demand (AquaVM's lexer is lazy too: a
// lexer error is reported only when the parser asks for the offending token).
type lexer struct {
	lambdas  []*ast.Lambda // lambdas of the tokens, see airSym
	src      string
	pos      int
	depth    int // unclosed "(" so far
	maxDepth int
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		switch r {
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return true
		}
		return false
	}
	return unicode.IsSpace(r)
}

// isAlphabetic is Unicode's Alphabetic property (Rust's char::is_alphabetic).
func isAlphabetic(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_Alphabetic, r)
}

// isNumeric is Rust's char::is_numeric (general categories Nd, Nl, No).
func isNumeric(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsNumber(r)
}

// isAirAlphanumeric tells whether r may appear in a variable or field name.
func isAirAlphanumeric(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
	}
	return isAlphabetic(r) || unicode.IsNumber(r)
}

// isLensChar tells whether r may appear in the lambda part of a word.
func isLensChar(r rune) bool {
	switch r {
	case '$', '@', '[', ']', '(', ')', ':', '?', '.', '*', ',', '"', '\'':
		return true
	}
	return isAirAlphanumeric(r)
}

// next stores the next token in tok; ok is false at the end of the script.
func (l *lexer) next(tok *airToken) (ok bool, err error) {
	src := l.src
	l.pos = skipBlank(src, l.pos)
	if l.pos >= len(src) {
		return false, nil
	}
	start := l.pos
	c := src[start]
	switch c {
	case '(', ')', '[', ']':
		l.pos++
		switch c {
		case '(':
			l.depth++
			if l.maxDepth > 0 && l.depth > l.maxDepth {
				return false, &lexError{start, start + 1, depthLimitMsgPrefix + itoa(l.maxDepth) + " levels"}
			}
			tok.kind = tOpenParen
		case ')':
			if l.depth > 0 {
				l.depth--
			}
			tok.kind = tCloseParen
		case '[':
			tok.kind = tOpenSquare
		default:
			tok.kind = tCloseSquare
		}
		// The value of a bracket token is never looked at.
		tok.sym.start, tok.sym.end = int32(start), int32(start+1)
		return true, nil
	case '"':
		i := indexByteFrom(src, start+1, '"')
		if i < 0 {
			l.pos = len(src)
			return false, &lexError{start, len(src), msgUnclosedQuote}
		}
		l.pos = i + 1
		tok.kind = tLiteral
		tok.sym.start, tok.sym.end, tok.sym.v.term = int32(start), int32(i+1), tLiteral
		return true, nil
	}
	size := 1
	if c >= utf8.RuneSelf {
		_, size = utf8.DecodeRuneInString(src[start:])
	}
	end, simple := l.wordEnd(start + size)
	l.pos = end
	// Tokens never carry an instruction: only the value fields are set.
	tok.sym.start, tok.sym.end = int32(start), int32(end)
	if simple && charClass[c]&ccLetter != 0 {
		// A plain name: a keyword or a scalar, no need for the character-level machine.
		if k := keywordToken(src[start:end]); k >= 0 {
			tok.kind = k
			tok.sym.v.term = int8(k)
			return true, nil
		}
		tok.kind = tScalar
		tok.sym.v.term, tok.sym.v.name = tScalar, int32(end-start)
		return true, nil
	}
	wt, err := wordToken(src[start:end], start)
	if err != nil {
		return false, err
	}
	tok.kind = wt.kind
	v := airSym{term: int8(wt.kind), name: int32(len(wt.v.Name)), ref: -1}
	if wt.v.Kind == ast.KindInt || wt.v.Kind == ast.KindFloat {
		v.num = wt.v.Int
	}
	if wt.v.Lambda != nil {
		v.ref = int32(len(l.lambdas))
		l.lambdas = append(l.lambdas, wt.v.Lambda)
	}
	tok.sym.v.num, tok.sym.v.ref, tok.sym.v.name, tok.sym.v.term = v.num, v.ref, v.name, v.term
	return true, nil
}

// skipBlank returns the offset of the first byte at or after i that is neither
// whitespace (Unicode's included) nor in a comment (";" to the end of its line), or
// len(src).
func skipBlank(src string, i int) int {
	for i < len(src) {
		c := src[i]
		switch {
		case charClass[c]&ccSpace != 0:
			i++
		case c == ';':
			j := indexByteFrom(src, i+1, '\n')
			if j < 0 {
				return len(src)
			}
			i = j + 1
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			if !isSpace(r) {
				return i
			}
			i += size
		default:
			return i
		}
	}
	return i
}

// Byte classes of ASCII characters.
const (
	ccSpace   = 1 << iota // ASCII whitespace
	ccSimple              // [A-Za-z0-9_-]: a name character
	ccLetter              // [A-Za-z_]: a name character that cannot start a number
	ccBracket             // ( ) [ ]
	ccSkip                // whitespace, ';' (a comment) or a byte of a non-ASCII character
	ccKeyword             // the first letter of a keyword, "true" or "false"
)

var charClass = func() (t [256]uint8) {
	for _, c := range " \t\n\v\f\r" {
		t[c] = ccSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = ccSimple | ccLetter
		t[c-'a'+'A'] = ccSimple | ccLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = ccSimple
	}
	t['_'] = ccSimple | ccLetter
	t['-'] = ccSimple
	for _, c := range "()[]" {
		t[c] = ccBracket
	}
	for c := range 256 {
		if c == ';' || c >= utf8.RuneSelf || t[c]&ccSpace != 0 {
			t[c] |= ccSkip
		}
	}
	for _, c := range "acfmnpstx" {
		t[c] |= ccKeyword
	}
	return t
}()

// Byte-wise constants of the eight-byte tests (byteRange, alnum8).
const (
	ones  = 0x0101010101010101 // every byte 0x01
	highs = 0x8080808080808080 // every byte 0x80
)

// byteRange classifies eight bytes (x, little-endian: the first byte is the lowest):
// the result has the high bit of a byte set iff that byte is in lo..hi (ASCII bounds).
//
// For a byte b, b + (0x80-lo) has its high bit set iff b >= lo, and (0x80+hi) - b iff
// b <= hi. No carry or borrow leaves an ASCII byte, so every byte up to and including
// the first non-ASCII one is classified exactly (later ones may not be).
func byteRange(x uint64, lo, hi byte) uint64 {
	return (x + ones*(0x80-uint64(lo))) & (ones*(0x80+uint64(hi)) - x) & highs
}

// alnum8 classifies eight bytes as byteRange does: the high bit of a byte is set iff it
// is an ASCII letter or digit. A byte is a letter iff its lower-case form b | 0x20 is in
// 'a'..'z'.
func alnum8(x uint64) uint64 {
	return byteRange(x|ones*0x20, 'a', 'z') | byteRange(x, '0', '9')
}

// endsWord tells whether c ends a plain word: whitespace, or a closing bracket.
func endsWord(c byte) bool { return charClass[c]&ccSpace != 0 || c == ')' || c == ']' }

// stringBytes returns the bytes of s without copying them; they must not be modified.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// nameEnd returns the end of the run of name characters ([A-Za-z0-9_-]) in b from i.
// It tests eight bytes at a time for letters and digits and steps over "_" and "-".
func nameEnd(b []byte, i int) int {
	for i+8 <= len(b) {
		if ok := alnum8(binary.LittleEndian.Uint64(b[i:])); ok != highs {
			i += bits.TrailingZeros64(ok^highs) >> 3
			if charClass[b[i]]&ccSimple == 0 {
				return i
			}
			i++
			continue
		}
		i += 8
	}
	for i < len(b) && charClass[b[i]]&ccSimple != 0 {
		i++
	}
	return i
}

// wordEnd finds where the word whose first character ends at from stops: at whitespace
// or at a ")" / "]" that closes more brackets than the word opened. simple reports that
// the characters after the first one are all ASCII name characters.
func (l *lexer) wordEnd(from int) (end int, simple bool) {
	src := l.src
	i := nameEnd(stringBytes(src), from)
	if i == len(src) {
		return i, true
	}
	if endsWord(src[i]) {
		return i, true
	}
	round, square := 0, 0
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			switch c {
			case '(':
				round++
			case ')':
				round--
			case '[':
				square++
			case ']':
				square--
			default:
				if charClass[c]&ccSpace != 0 {
					return i, false
				}
			}
			if round < 0 || square < 0 {
				return i, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if isSpace(r) {
			return i, false
		}
		i += size
	}
	return len(src), false
}

func indexByteFrom(s string, from int, b byte) int {
	for i := from; i < len(s); i++ {
		if s[i] == b {
			return i
		}
	}
	return -1
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// keywordToken returns the token of an instruction keyword or boolean, or -1; w is not
// empty.
func keywordToken(w string) int {
	if charClass[w[0]]&ccKeyword == 0 {
		return -1 // no keyword starts with that byte
	}
	switch w {
	case "call":
		return tCall
	case "canon":
		return tCanon
	case "ap":
		return tAp
	case "seq":
		return tSeq
	case "par":
		return tPar
	case "fail":
		return tFail
	case "fold":
		return tFold
	case "xor":
		return tXor
	case "never":
		return tNever
	case "new":
		return tNew
	case "next":
		return tNext
	case "null":
		return tNull
	case "match":
		return tMatch
	case "mismatch":
		return tMismatch
	case "true", "false":
		return tBoolean
	}
	return -1
}

// wordToken classifies a word (AquaVM's string_to_token).
func wordToken(w string, start int) (wordTok, error) {
	var tok wordTok
	v := &tok.v
	v.Pos = ast.Pos(start)
	if len(w) == 0 {
		return tok, &lexError{start, start, msgEmptyString}
	}
	if k := keywordToken(w); k >= 0 && k != tBoolean {
		tok.kind = k
		return tok, nil
	}
	switch {
	case w == initPeerIDKeyword:
		tok.kind = tInitPeerID
		v.Kind = ast.KindInitPeerID
		return tok, nil
	case hasPrefix(w, errorKeyword):
		return errorToken(w, start, errorKeyword, tError, tErrorWithLambda, ast.KindError)
	case hasPrefix(w, lastErrorKeyword):
		return errorToken(w, start, lastErrorKeyword, tLastError, tLastErrorWithLambda, ast.KindLastError)
	case w == timestampKeyword:
		tok.kind = tTimestamp
		v.Kind = ast.KindTimestamp
		return tok, nil
	case w == ttlKeyword:
		tok.kind = tTTL
		v.Kind = ast.KindTTL
		return tok, nil
	case w == "true" || w == "false":
		tok.kind = tBoolean
		v.Kind = ast.KindBool
		v.Bool = w == "true"
		return tok, nil
	}
	return variableToken(w, start)
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// errorToken lexes :error: and %last_error%, optionally followed by a lambda.
func errorToken(w string, start int, kw string, plain, withLambda int, kind ast.ValueKind) (wordTok, error) {
	var tok wordTok
	tok.v = ast.Value{Kind: kind, Pos: ast.Pos(start)}
	if len(w) == len(kw) {
		tok.kind = plain
		return tok, nil
	}
	lam, msg := parseLambda(w[len(kw):])
	if lam == nil {
		return tok, &lexError{start + len(kw), start + len(w), msg}
	}
	tok.kind = withLambda
	tok.v.Lambda = lam
	return tok, nil
}

// Tags met at the start of a variable name.
type metTag uint8

const (
	tagNone metTag = iota
	tagStream
	tagStreamMap
	tagCanon
	tagCanonStream
	tagCanonStreamMap
)

// variableToken lexes a number or a variable with an optional lambda, character by
// character, with the same state machine (and therefore the same corner cases and error
// positions) as AquaVM's call variable parser.
func variableToken(w string, start int) (wordTok, error) {
	var (
		tok        wordTok
		dot        = -1 // offset of the first dot
		nonNumeric bool
		digitMet   bool
		tag        = tagNone
	)
	fail := func(from, to int, msg string) (wordTok, error) {
		return tok, &lexError{from, to, msg}
	}
	for off := 0; off < len(w); {
		r, size := rune(w[off]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(w[off:])
		}
		pos := start + off
		variable := nonNumeric
		if !nonNumeric {
			// Number mode: sign, digit or the first dot.
			switch {
			case off == 0 && (r == '-' || r == '+'):
			case isNumeric(r):
				digitMet = true
			case dot < 0 && r == '.':
				if off == 0 {
					return fail(start, pos, msgLeadingDot)
				}
				dot = off
				if !digitMet {
					return fail(pos, pos, msgLeadingDot)
				}
			default:
				if dot >= 0 {
					return fail(pos, pos, msgUnallowedInNum)
				}
				nonNumeric = true
				variable = true
			}
		}
		if variable {
			deduced := tag
			if r == '$' && tag == tagCanon {
				deduced = tagCanonStream
			} else if r == '%' {
				deduced = tagCanonStreamMap
			}
			switch {
			case off == 1 && (deduced == tagCanonStream || deduced == tagCanonStreamMap):
				if len(w) == 2 {
					return fail(pos, pos, msgEmptyCanonName)
				}
				tag = deduced
			case off == 0 && (r == '$' || r == '#' || r == '%'):
				if len(w) == 1 {
					return fail(pos, pos, msgEmptyTaggedName)
				}
				switch r {
				case '$':
					tag = tagStream
				case '#':
					tag = tagCanon
				default:
					tag = tagStreamMap
				}
			case dot < 0 && r == '.':
				if off == 0 {
					return fail(start, pos, msgLeadingDot)
				}
				if tag != tagNone && off <= 2 {
					return fail(pos-1, pos-1, msgEmptyCanonName)
				}
				dot = off
			case dot >= 0:
				if !isLensChar(r) && !(off == len(w)-1 && r == '!') {
					return fail(pos, pos, msgInvalidLambda)
				}
			default:
				if !isAirAlphanumeric(r) {
					return fail(pos, pos, msgNotAlphanumeric)
				}
			}
		}
		off += size
	}

	v := &tok.v
	v.Pos = ast.Pos(start)
	if !nonNumeric {
		if dot < 0 {
			n, msg := parseRustI64(w)
			if msg != "" {
				return fail(start, start+len(w), msg)
			}
			tok.kind = tI64
			v.Kind = ast.KindInt
			v.Int = n
			return tok, nil
		}
		if len(w) > maxSafeFloatLen {
			return fail(start, start+len(w), msgTooBigFloat)
		}
		f, ok := parseSimpleFloat(w)
		if !ok {
			return fail(start, start+len(w), msgFloatInvalid)
		}
		tok.kind = tF64
		*v = ast.FloatValue(f, ast.Pos(start))
		return tok, nil
	}
	name := w
	if dot >= 0 {
		name = w[:dot]
		lam, msg := parseLambda(w[dot:])
		if lam == nil {
			return fail(start+dot, start+len(w), msg)
		}
		v.Lambda = lam
	}
	v.Name = name
	withLambda := dot >= 0
	switch tag {
	case tagNone:
		v.Kind = ast.KindScalar
		tok.kind = pick(withLambda, tScalarWithLambda, tScalar)
	case tagStream:
		v.Kind = ast.KindStream
		tok.kind = pick(withLambda, tStreamWithLambda, tStream)
	case tagStreamMap:
		v.Kind = ast.KindStreamMap
		tok.kind = pick(withLambda, tStreamMapWithLambda, tStreamMap)
	case tagCanon, tagCanonStream:
		v.Kind = ast.KindCanonStream
		tok.kind = pick(withLambda, tCanonStreamWithLambda, tCanonStream)
	case tagCanonStreamMap:
		v.Kind = ast.KindCanonStreamMap
		tok.kind = pick(withLambda, tCanonStreamMapWithLambda, tCanonStreamMap)
	}
	return tok, nil
}

func pick(c bool, a, b int) int {
	if c {
		return a
	}
	return b
}

// parseRustI64 parses a signed decimal integer the way Rust's i64::from_str does and
// returns Rust's error text on failure.
func parseRustI64(s string) (int64, string) {
	neg := false
	digits := s
	switch s[0] {
	case '+', '-':
		if len(s) == 1 {
			return 0, msgIntInvalidDigit
		}
		neg = s[0] == '-'
		digits = s[1:]
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, msgIntInvalidDigit
		}
		d := int64(c - '0')
		if neg {
			if n < (-1<<63)/10 || n*10 < (-1<<63)+d {
				return 0, msgIntNegOverflow
			}
			n = n*10 - d
		} else {
			if n > (1<<63-1)/10 || n*10 > (1<<63-1)-d {
				return 0, msgIntPosOverflow
			}
			n = n*10 + d
		}
	}
	return n, ""
}

// parseSimpleFloat parses [+-]digits.digits* (the only float form the lexer lets through);
// non-ASCII digits make it fail as they make Rust's parser fail.
func parseSimpleFloat(s string) (float64, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || (i == 0 && (c == '+' || c == '-'))) {
			return 0, false
		}
	}
	return parseFloatASCII(s)
}

func parseFloatASCII(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
