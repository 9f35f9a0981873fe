package parser

import "github.com/cascadep2p/cascade/air/ast"

// fastParser is a recursive-descent parser for the same grammar as the LR automaton,
// used first because it is several times faster. It only handles scripts without
// syntax errors: at the first unexpected token it gives up and Parse starts again with
// the LR parser, which reproduces AquaVM's error reporting and recovery. For a script
// without syntax errors both build the same tree and run the same semantic actions
// (hence the same validation) in the same order, because the recursive descent
// completes instructions in the order the LR parser reduces them.
type fastParser struct {
	d   *airDriver
	tok airToken
	eof bool // the input is exhausted
}

// noToken is the kind of tok after the end of input or a lexer error.
const noToken = -100

// advance reads the next token.
func (f *fastParser) advance() {
	ok, err := f.d.lex.next(&f.tok)
	if !ok {
		f.tok.kind = noToken
		f.eof = err == nil
	}
}

// want moves the current token to *dst if its kind is in the set kinds.
func (f *fastParser) want(dst *symTriple[airSym], kinds uint64) bool {
	k := f.tok.kind
	if k < 0 || kinds&(1<<uint(k)) == 0 {
		return false
	}
	*dst = f.tok.sym
	f.advance()
	return true
}

// wantValue is want for values, "[" "]" included.
func (f *fastParser) wantValue(dst *symTriple[airSym], kinds uint64) bool {
	if f.tok.kind != tOpenSquare {
		return f.want(dst, kinds)
	}
	var rhs [2]symTriple[airSym]
	rhs[0] = f.tok.sym
	f.advance()
	if !f.want(&rhs[1], setCloseSquare) {
		return false
	}
	*dst = symTriple[airSym]{start: rhs[0].start, end: rhs[1].end, v: f.d.action(aEmptyArray, rhs[:])}
	return true
}

func bits(kinds ...int) uint64 {
	var b uint64
	for _, k := range kinds {
		b |= 1 << uint(k)
	}
	return b
}

var (
	setOpen         = bits(tOpenParen)
	setClose        = bits(tCloseParen)
	setOpenSquare   = bits(tOpenSquare)
	setCloseSquare  = bits(tCloseSquare)
	setScalar       = bits(tScalar)
	setCanonStream  = bits(tCanonStream)
	setCanonMap     = bits(tCanonStreamMap)
	setLiteral      = bits(tLiteral)
	setStreamMap    = bits(tStreamMap)
	setScalarResult = bits(tScalar, tStream)
	setPeer         = bits(tInitPeerID, tLiteral, tScalar, tScalarWithLambda, tCanonStreamWithLambda, tCanonStreamMapWithLambda)
	setString       = bits(tLiteral, tScalar, tScalarWithLambda, tCanonStreamWithLambda, tCanonStreamMapWithLambda)
	setApArgument   = bits(tInitPeerID, tLastError, tLastErrorWithLambda, tError, tErrorWithLambda, tTimestamp, tTTL,
		tLiteral, tI64, tF64, tBoolean, tScalar, tScalarWithLambda, tCanonStream, tCanonStreamWithLambda,
		tCanonStreamMapWithLambda)
	setValue       = setApArgument | bits(tCanonStreamMap)
	setMapKey      = bits(tLiteral, tI64, tScalar, tScalarWithLambda, tCanonStreamWithLambda)
	setNewArgument = bits(tScalar, tStream, tStreamMap, tCanonStream, tCanonStreamMap)
	setFoldScalar  = bits(tScalar, tScalarWithLambda, tCanonStream, tCanonStreamMap, tCanonStreamMapWithLambda)
	setFailSingle  = bits(tScalar, tScalarWithLambda, tCanonStreamWithLambda, tLastError, tError)
)

// parseScript parses the whole script; ok is false when the LR parser must take over.
func (f *fastParser) parseScript() (ast.Instruction, bool) {
	f.advance()
	var top symTriple[airSym]
	if !f.instr(&top) || !f.eof {
		return nil, false
	}
	return top.v.instr, true
}

// instr parses one instruction into *dst and runs its semantic action.
func (f *fastParser) instr(dst *symTriple[airSym]) bool {
	var rhs [8]symTriple[airSym]
	if f.tok.kind != tOpenParen {
		return false
	}
	rhs[0].start = f.tok.sym.start
	f.advance()
	kw := f.tok.kind
	f.advance() // the keyword's symbol carries nothing
	n := 2
	var act int
	switch kw {
	case tCall:
		var ok bool
		if act, ok = f.callRest(rhs[:], &n); !ok {
			return false
		}
	case tCanon:
		if !f.want(&rhs[2], setPeer) {
			return false
		}
		switch f.tok.kind {
		case tStream:
			rhs[3] = f.tok.sym
			f.advance()
			if !f.want(&rhs[4], setCanonStream) {
				return false
			}
			act = aCanon
		case tStreamMap:
			rhs[3] = f.tok.sym
			f.advance()
			act = aCanonMap
			if f.tok.kind == tScalar {
				act = aCanonMapScalar
			}
			if !f.want(&rhs[4], setCanonMap|setScalar) {
				return false
			}
		default:
			return false
		}
		n = 5
	case tAp:
		if f.tok.kind == tOpenParen {
			f.advance() // "(" carries nothing
			if !f.want(&rhs[3], setMapKey) || !f.wantValue(&rhs[4], setApArgument) || !f.want(&rhs[5], setClose) ||
				!f.want(&rhs[6], setStreamMap) {
				return false
			}
			act, n = aApMap, 7
		} else {
			if !f.wantValue(&rhs[2], setApArgument) || !f.want(&rhs[3], setScalarResult) {
				return false
			}
			act, n = aAp, 4
		}
	case tSeq, tPar, tXor:
		if !f.instr(&rhs[2]) || !f.instr(&rhs[3]) {
			return false
		}
		switch kw {
		case tSeq:
			act = aSeq
		case tPar:
			act = aPar
		default:
			act = aXor
		}
		n = 4
	case tNever:
		act = aNever
	case tNull:
		act = aNull
	case tNew:
		if !f.want(&rhs[2], setNewArgument) || !f.instr(&rhs[3]) {
			return false
		}
		act, n = aNew, 4
	case tFail:
		var body [2]symTriple[airSym]
		fa := aFailLiteral
		if f.tok.kind == tI64 {
			body[0] = f.tok.sym
			f.advance()
			if !f.want(&body[1], setLiteral) {
				return false
			}
		} else {
			if !f.want(&body[0], setFailSingle) {
				return false
			}
			switch body[0].v.term {
			case tCanonStreamWithLambda:
				fa = aFailCanon
			case tLastError:
				fa = aFailLastError
			case tError:
				fa = aFailError
			default:
				fa = aFailScalar
			}
		}
		m := 1
		if fa == aFailLiteral {
			m = 2
		}
		rhs[2] = symTriple[airSym]{start: body[0].start, end: body[m-1].end, v: f.d.action(fa, body[:m])}
		act, n = aFail, 3
	case tFold:
		switch f.tok.kind {
		case tStream:
			act = aFoldStream
			rhs[2] = f.tok.sym
			f.advance()
		case tStreamMap:
			act = aFoldStreamMap
			rhs[2] = f.tok.sym
			f.advance()
		default:
			if !f.wantValue(&rhs[2], setFoldScalar) {
				return false
			}
			act = aFoldScalar
		}
		if !f.want(&rhs[3], setScalar) || !f.instr(&rhs[4]) {
			return false
		}
		n = 5
		if f.tok.kind == tOpenParen {
			if !f.instr(&rhs[5]) {
				return false
			}
			n = 6
			switch act {
			case aFoldStream:
				act = aFoldStreamLast
			case aFoldStreamMap:
				act = aFoldStreamMapLast
			default:
				act = aFoldScalarLast
			}
		}
	case tNext:
		if !f.want(&rhs[2], setScalar) {
			return false
		}
		act, n = aNext, 3
	case tMatch, tMismatch:
		if !f.wantValue(&rhs[2], setValue) || !f.wantValue(&rhs[3], setValue) || !f.instr(&rhs[4]) {
			return false
		}
		act, n = aMatch, 5
		if kw == tMismatch {
			act = aMismatch
		}
	default:
		return false
	}
	if f.tok.kind != tCloseParen {
		return false
	}
	rhs[n].end = f.tok.sym.end
	n++
	f.advance()
	*dst = symTriple[airSym]{start: rhs[0].start, end: rhs[n-1].end, v: f.d.action(act, rhs[:n])}
	return true
}

// callRest parses the triplet, arguments and output of a call into rhs[*n:].
func (f *fastParser) callRest(rhs []symTriple[airSym], n *int) (act int, ok bool) {
	// Triplet: PeerId "(" ServiceId Function ")".
	var t [5]symTriple[airSym]
	if !f.want(&t[0], setPeer) || !f.want(&t[1], setOpen) || !f.want(&t[2], setString) ||
		!f.want(&t[3], setString) || !f.want(&t[4], setClose) {
		return 0, false
	}
	rhs[2] = symTriple[airSym]{start: t[0].start, end: t[4].end, v: f.d.action(aTriplet, t[:])}
	// Args: "[" Value* "]".
	var lst [3]symTriple[airSym]
	if !f.want(&lst[0], setOpenSquare) {
		return 0, false
	}
	count := 0
	for f.tok.kind != tCloseSquare {
		var pair [2]symTriple[airSym]
		if !f.wantValue(&pair[1], setValue) {
			return 0, false
		}
		if count == 0 {
			lst[1] = symTriple[airSym]{start: pair[1].start, end: pair[1].end, v: f.d.action(aArgFirst, pair[1:])}
		} else {
			pair[0] = lst[1]
			lst[1] = symTriple[airSym]{start: lst[1].start, end: pair[1].end, v: f.d.action(aArgNext, pair[:])}
		}
		count++
	}
	lst[2] = f.tok.sym
	f.advance()
	if count == 0 {
		lst[1] = lst[2]
		rhs[3] = symTriple[airSym]{start: lst[0].start, end: lst[1].end, v: f.d.action(aArgsEmpty, lst[:2])}
	} else {
		rhs[3] = symTriple[airSym]{start: lst[0].start, end: lst[2].end, v: f.d.action(aArgsList, lst[:])}
	}
	*n = 4
	if f.tok.kind == tScalar || f.tok.kind == tStream {
		rhs[4] = f.tok.sym
		f.advance()
		*n = 5
		return aCall, true
	}
	return aCallNoOutput, true
}
