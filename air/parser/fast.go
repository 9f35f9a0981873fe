package parser

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/cascadep2p/cascade/air/ast"
)

// fastParser is a recursive-descent parser for the same grammar as the LR automaton,
// used first because it is several times faster. It reads the script itself, a byte at
// a time, and builds the tree directly; only words that are not plain names (numbers,
// tagged variables, lambdas, keywords such as %init_peer_id%) go through the lexer's
// word classifier. It handles only scripts without syntax errors: at the first
// unexpected token it gives up and Parse starts again with the LR parser, which
// reproduces AquaVM's error reporting and recovery. For a script without syntax errors
// both build the same tree and feed the validator the same instructions in the same
// order, because the recursive descent completes instructions in the order the LR
// parser reduces them.
type fastParser struct {
	d     *airDriver
	src   string
	pos   int
	depth int // unclosed "(" so far

	args []ast.Value // the argument list under construction
}

// noToken is what word returns when the next token is not a word or literal.
const noToken = -100

// has tells whether terminal k is in the set kinds (k may be negative).
func has(kinds uint64, k int) bool { return k >= 0 && kinds&(1<<uint(k)) != 0 }

func kindSet(kinds ...int) uint64 {
	var b uint64
	for _, k := range kinds {
		b |= 1 << uint(k)
	}
	return b
}

var (
	setScalar       = kindSet(tScalar)
	setCanonStream  = kindSet(tCanonStream)
	setCanonMap     = kindSet(tCanonStreamMap)
	setLiteral      = kindSet(tLiteral)
	setStreamMap    = kindSet(tStreamMap)
	setScalarResult = kindSet(tScalar, tStream)
	setPeer         = kindSet(tInitPeerID, tLiteral, tScalar, tScalarWithLambda, tCanonStreamWithLambda, tCanonStreamMapWithLambda)
	setString       = kindSet(tLiteral, tScalar, tScalarWithLambda, tCanonStreamWithLambda, tCanonStreamMapWithLambda)
	setApArgument   = kindSet(tInitPeerID, tLastError, tLastErrorWithLambda, tError, tErrorWithLambda, tTimestamp, tTTL,
		tLiteral, tI64, tF64, tBoolean, tScalar, tScalarWithLambda, tCanonStream, tCanonStreamWithLambda,
		tCanonStreamMapWithLambda)
	setValue       = setApArgument | kindSet(tCanonStreamMap)
	setMapKey      = kindSet(tLiteral, tI64, tScalar, tScalarWithLambda, tCanonStreamWithLambda)
	setNewArgument = kindSet(tScalar, tStream, tStreamMap, tCanonStream, tCanonStreamMap)
	setFoldScalar  = kindSet(tScalar, tScalarWithLambda, tCanonStream, tCanonStreamMap, tCanonStreamMapWithLambda)
	setFailSingle  = kindSet(tScalar, tScalarWithLambda, tCanonStreamWithLambda, tLastError, tError)
)

// parseScript parses the whole script; ok is false when the LR parser must take over.
func (f *fastParser) parseScript() (ast.Instruction, bool) {
	f.moveTo(0)
	in, ok := f.instr()
	if !ok || f.peek() >= 0 {
		return nil, false
	}
	return in, true
}

// peek returns the byte at the current position, or -1 at the end of the script. The
// position is always at the start of a token: moveTo skips whitespace and comments.
func (f *fastParser) peek() int {
	if f.pos < len(f.src) {
		return int(f.src[f.pos])
	}
	return -1
}

// moveTo moves to offset p, past a token, and on to the start of the next one.
func (f *fastParser) moveTo(p int) {
	f.pos = p
	if p < len(f.src) && charClass[f.src[p]]&ccSkip != 0 {
		f.skip()
	}
}

// skip moves past whitespace and comments.
func (f *fastParser) skip() {
	// Most tokens follow the previous one after a single space.
	if singleSpace(f.src, f.pos) {
		f.pos++
		return
	}
	f.pos = skipBlank(f.src, f.pos)
}

// singleSpace tells whether src has a single space at p, followed by the start of a
// token.
func singleSpace(src string, p int) bool {
	return p+1 < len(src) && src[p] == ' ' && charClass[src[p+1]]&ccSkip == 0
}

// open reads "(" and returns its offset.
func (f *fastParser) open() (int, bool) {
	start := f.pos
	if f.peek() != '(' {
		return 0, false
	}
	f.moveTo(start + 1)
	f.depth++
	return start, f.depth <= MaxNesting
}

// close reads ")" and returns the offset after it.
func (f *fastParser) close() (int, bool) {
	end := f.pos + 1
	if f.peek() != ')' {
		return 0, false
	}
	f.moveTo(end)
	f.depth--
	return end, true
}

// word reads a literal or a word into *dst and returns its terminal, or -1 (noToken)
// if the next token is a bracket, the end of the script or a lexer error.
func (f *fastParser) word(dst *ast.Value) int {
	c := f.peek()
	start := f.pos
	src := f.src
	if c >= 0 && charClass[c]&ccLetter != 0 {
		// Most words are plain names: letters, digits, "_" and "-" up to whitespace or
		// a closing bracket. Long names are scanned eight bytes at a time.
		end := nameEnd(stringBytes(src), start+1)
		if end == len(src) || endsWord(src[end]) {
			// As after a keyword, a single space is the commonest separator.
			if singleSpace(src, end) {
				f.pos = end + 1
			} else {
				f.moveTo(end)
			}
			w := src[start:end]
			switch k := keywordToken(w); k {
			case -1:
				*dst = ast.Value{Kind: ast.KindScalar, Name: w, Pos: ast.Pos(start)}
				return tScalar
			case tBoolean:
				*dst = ast.Value{Kind: ast.KindBool, Bool: c == 't', Pos: ast.Pos(start)}
				return tBoolean
			default:
				return k
			}
		}
	}
	switch c {
	case -1, '(', ')', '[', ']':
		return noToken
	case '"':
		i := strings.IndexByte(src[start+1:], '"')
		if i < 0 {
			return noToken
		}
		end := start + 1 + i
		*dst = ast.Value{Kind: ast.KindLiteral, Name: src[start+1 : end], Pos: ast.Pos(start)}
		f.moveTo(end + 1)
		return tLiteral
	}
	size := 1
	if c >= utf8.RuneSelf {
		_, size = utf8.DecodeRuneInString(src[start:])
	}
	end, _ := f.d.lex.wordEnd(start + size)
	f.moveTo(end)
	wt, err := wordToken(src[start:end], start)
	if err != nil {
		return noToken
	}
	*dst = wt.v
	return wt.kind
}

// Instruction keywords as little-endian 64-bit words, for keyword.
const (
	kwAp       = uint64('a') | uint64('p')<<8
	kwSeq      = uint64('s') | uint64('e')<<8 | uint64('q')<<16
	kwPar      = uint64('p') | uint64('a')<<8 | uint64('r')<<16
	kwXor      = uint64('x') | uint64('o')<<8 | uint64('r')<<16
	kwNew      = uint64('n') | uint64('e')<<8 | uint64('w')<<16
	kwCall     = uint64('c') | uint64('a')<<8 | uint64('l')<<16 | uint64('l')<<24
	kwNull     = uint64('n') | uint64('u')<<8 | uint64('l')<<16 | uint64('l')<<24
	kwFold     = uint64('f') | uint64('o')<<8 | uint64('l')<<16 | uint64('d')<<24
	kwFail     = uint64('f') | uint64('a')<<8 | uint64('i')<<16 | uint64('l')<<24
	kwNext     = uint64('n') | uint64('e')<<8 | uint64('x')<<16 | uint64('t')<<24
	kwCanon    = uint64('c') | uint64('a')<<8 | uint64('n')<<16 | uint64('o')<<24 | uint64('n')<<32
	kwNever    = uint64('n') | uint64('e')<<8 | uint64('v')<<16 | uint64('e')<<24 | uint64('r')<<32
	kwMatch    = uint64('m') | uint64('a')<<8 | uint64('t')<<16 | uint64('c')<<24 | uint64('h')<<32
	kwMismatch = uint64('m') | uint64('i')<<8 | uint64('s')<<16 | uint64('m')<<24 | uint64('a')<<32 |
		uint64('t')<<40 | uint64('c')<<48 | uint64('h')<<56
)

// keyword reads the word after an instruction's "(" and returns its terminal, as word
// does. An instruction keyword is a run of at most eight lower-case letters, so it is
// read and recognised as one 64-bit word; anything else goes through word.
func (f *fastParser) keyword() int {
	p := f.pos
	b := stringBytes(f.src)
	if p+9 > len(b) {
		var v ast.Value
		return f.word(&v)
	}
	x := binary.LittleEndian.Uint64(b[p:])
	lower := byteRange(x, 'a', 'z')
	n := bits.TrailingZeros64(^lower&highs) >> 3 // leading lower-case letters
	if endsWord(b[p+n]) {
		var kw int
		switch x & (1<<(8*uint(n)) - 1) {
		case kwSeq:
			kw = tSeq
		case kwAp:
			kw = tAp
		case kwNull:
			kw = tNull
		case kwCall:
			kw = tCall
		case kwPar:
			kw = tPar
		case kwXor:
			kw = tXor
		case kwNew:
			kw = tNew
		case kwFold:
			kw = tFold
		case kwNext:
			kw = tNext
		case kwCanon:
			kw = tCanon
		case kwMatch:
			kw = tMatch
		case kwFail:
			kw = tFail
		case kwNever:
			kw = tNever
		case kwMismatch:
			kw = tMismatch
		}
		if kw != 0 {
			// Most keywords are followed by a single space (stepped over here) or ")".
			if p += n; singleSpace(f.src, p) {
				f.pos = p + 1
			} else {
				f.moveTo(p)
			}
			return kw
		}
	}
	var v ast.Value
	return f.word(&v)
}

// value reads a value whose terminal is in kinds into *dst; "[" "]" (an empty array)
// is accepted too.
func (f *fastParser) value(dst *ast.Value, kinds uint64) bool {
	if f.peek() == '[' {
		start := f.pos
		f.moveTo(start + 1)
		if f.peek() != ']' {
			return false
		}
		f.moveTo(f.pos + 1)
		*dst = ast.Value{Kind: ast.KindEmptyArray, Pos: ast.Pos(start)}
		return true
	}
	return has(kinds, f.word(dst))
}

// want reads a word whose terminal is in kinds into *dst.
func (f *fastParser) want(dst *ast.Value, kinds uint64) bool {
	return has(kinds, f.word(dst))
}

// instr parses one instruction and feeds it to the validator.
func (f *fastParser) instr() (ast.Instruction, bool) {
	left, ok := f.open()
	if !ok {
		return nil, false
	}
	kw := f.keyword()
	d := f.d
	var in ast.Instruction
	switch kw {
	case tCall:
		c := d.calls.New()
		if !f.want(&c.Peer, setPeer) || !f.inner('(') || !f.want(&c.Service, setString) ||
			!f.want(&c.Function, setString) || !f.inner(')') || !f.argList(c) {
			return nil, false
		}
		if f.peek() != ')' && !f.want(&c.Output, setScalarResult) {
			return nil, false
		}
		in = c
	case tCanon:
		var peer, stream, out ast.Value
		if !f.want(&peer, setPeer) {
			return nil, false
		}
		switch f.word(&stream) {
		case tStream:
			if !f.want(&out, setCanonStream) {
				return nil, false
			}
			c := d.canons.New()
			c.Peer, c.Stream, c.Canon = peer, stream, out
			in = c
		case tStreamMap:
			switch f.word(&out) {
			case tCanonStreamMap:
				in = &ast.CanonMap{Peer: peer, StreamMap: stream, CanonMap: out}
			case tScalar:
				in = &ast.CanonMapScalar{Peer: peer, StreamMap: stream, Scalar: out}
			default:
				return nil, false
			}
		default:
			return nil, false
		}
	case tAp:
		if f.peek() == '(' {
			a := &ast.ApMap{}
			if !f.inner('(') || !f.want(&a.Key, setMapKey) || !f.value(&a.Value, setApArgument) ||
				!f.inner(')') || !f.want(&a.Map, setStreamMap) {
				return nil, false
			}
			in = a
		} else {
			a := d.aps.New()
			if !f.value(&a.Arg, setApArgument) || !f.want(&a.Result, setScalarResult) {
				return nil, false
			}
			in = a
		}
	case tSeq, tPar, tXor:
		l, ok := f.instr()
		if !ok {
			return nil, false
		}
		r, ok := f.instr()
		if !ok {
			return nil, false
		}
		switch kw {
		case tSeq:
			n := d.seqs.New()
			n.Left, n.Right = l, r
			in = n
		case tPar:
			n := d.pars.New()
			n.Left, n.Right = l, r
			in = n
		default:
			n := d.xors.New()
			n.Left, n.Right = l, r
			in = n
		}
	case tNever:
		in = &ast.Never{}
	case tNull:
		in = &ast.Null{}
	case tNew:
		n := d.news.New()
		if !f.want(&n.Arg, setNewArgument) {
			return nil, false
		}
		if n.Body, ok = f.instr(); !ok {
			return nil, false
		}
		in = n
	case tFail:
		fl := d.fails.New()
		var first ast.Value
		switch k := f.word(&first); {
		case k == tI64:
			var msg ast.Value
			if !f.want(&msg, setLiteral) {
				return nil, false
			}
			*fl = ast.Fail{Kind: ast.FailLiteral, RetCode: first.Int, Message: msg.Name}
		case !has(setFailSingle, k):
			return nil, false
		case k == tCanonStreamWithLambda:
			*fl = ast.Fail{Kind: ast.FailCanonStream, Value: first}
		case k == tLastError:
			*fl = ast.Fail{Kind: ast.FailLastError}
		case k == tError:
			*fl = ast.Fail{Kind: ast.FailError}
		default:
			*fl = ast.Fail{Kind: ast.FailScalar, Value: first}
		}
		in = fl
	case tFold:
		fo := d.folds.New()
		if f.peek() == '[' {
			if !f.value(&fo.Iterable, 0) {
				return nil, false
			}
		} else {
			switch k := f.word(&fo.Iterable); {
			case k == tStream:
				fo.Kind = ast.FoldStream
			case k == tStreamMap:
				fo.Kind = ast.FoldStreamMap
			case !has(setFoldScalar, k):
				return nil, false
			}
		}
		var it ast.Value
		if !f.want(&it, setScalar) {
			return nil, false
		}
		fo.Iterator = it.Name
		if fo.Body, ok = f.instr(); !ok {
			return nil, false
		}
		if f.peek() == '(' {
			if fo.Last, ok = f.instr(); !ok {
				return nil, false
			}
		}
		in = fo
	case tNext:
		var it ast.Value
		if !f.want(&it, setScalar) {
			return nil, false
		}
		n := d.nexts.New()
		n.Iterator = it.Name
		in = n
	case tMatch, tMismatch:
		var l, r ast.Value
		if !f.value(&l, setValue) || !f.value(&r, setValue) {
			return nil, false
		}
		body, ok := f.instr()
		if !ok {
			return nil, false
		}
		if kw == tMatch {
			m := d.matches.New()
			m.Left, m.Right, m.Body = l, r, body
			in = m
		} else {
			m := d.mismatchs.New()
			m.Left, m.Right, m.Body = l, r, body
			in = m
		}
	default:
		return nil, false
	}
	right, ok := f.close()
	if !ok {
		return nil, false
	}
	f.validate(kw, in, ast.Span{Left: ast.Pos(left), Right: ast.Pos(right)})
	return in, true
}

// validate feeds a completed instruction to the validator, as the LR parser's semantic
// action for it does.
func (f *fastParser) validate(kw int, in ast.Instruction, span ast.Span) {
	v := f.d.val
	switch kw {
	case tCall:
		v.metCall(in.(*ast.Call), span)
	case tCanon:
		switch c := in.(type) {
		case *ast.Canon:
			v.metDefiningSimple(c.Canon.Name, span)
		case *ast.CanonMap:
			v.metDefiningSimple(c.CanonMap.Name, span)
		case *ast.CanonMapScalar:
			v.metDefiningSimple(c.Scalar.Name, span)
		}
	case tAp:
		if a, ok := in.(*ast.Ap); ok {
			v.metAp(a, span)
		} else {
			v.metApMap(in.(*ast.ApMap), span)
		}
	case tSeq, tPar:
		v.machine.met(ckMerging, 0, span)
	case tXor:
		v.machine.met(ckXoring, 0, span)
	case tNever, tNull:
		v.machine.met(ckSimple, 0, span)
	case tNew:
		n := in.(*ast.New)
		n.Span = span
		v.metNew(n, span)
	case tFail:
		v.metFail(in.(*ast.Fail), span)
	case tFold:
		fo := in.(*ast.Fold)
		fo.Span = span
		v.metFold(fo, fo.Last != nil, span)
	case tNext:
		v.metNext(in.(*ast.Next).Iterator, span)
	case tMatch:
		m := in.(*ast.Match)
		v.metMatch(&m.Left, &m.Right, span)
	case tMismatch:
		m := in.(*ast.Mismatch)
		v.metMatch(&m.Left, &m.Right, span)
	}
}

// inner reads the "(" or ")" of a call's triplet or of an ap's key-value pair. The
// lexer counts an inner "(" in the nesting depth too.
func (f *fastParser) inner(c byte) bool {
	if f.peek() != int(c) || c == '(' && f.depth+1 > MaxNesting {
		return false
	}
	f.moveTo(f.pos + 1)
	return true
}

// argList parses the argument list of a call: "[" Value* "]".
func (f *fastParser) argList(c *ast.Call) bool {
	if f.peek() != '[' {
		return false
	}
	f.moveTo(f.pos + 1)
	f.args = f.args[:0]
	for f.peek() != ']' {
		f.args = append(f.args, ast.Value{})
		if !f.value(&f.args[len(f.args)-1], setValue) {
			return false
		}
	}
	f.moveTo(f.pos + 1)
	if n := len(f.args); n > 0 {
		c.Args = f.d.values.Slice(n)
		copy(c.Args, f.args)
	}
	return true
}
