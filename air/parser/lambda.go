package parser

import (
	"strings"
	"unicode/utf8"

	"github.com/cascadep2p/cascade/air/ast"
	"github.com/cascadep2p/cascade/air/internal/rustfmt"
)

// Lambdas (.$.a.[0], .length) have their own lexer and LALR grammar in AquaVM. When a
// lambda does not parse, AquaVM's message is the Rust Debug rendering of the lambda
// parser's error value; this file reproduces those texts too.

const (
	msgEmptyLambda    = "provided lambda expression doesn't contain any accessor"
	msgLambdaInternal = "normally, this error shouldn't occur, it's an internal error of a parser implementation"
)

// ParseLambda parses a lambda suffix such as ".$.a.[0]" or ".length" exactly as AquaVM's
// lambda parser does; on failure it returns AquaVM's message for the failure.
func ParseLambda(text string) (*ast.Lambda, error) {
	lam, msg := parseLambda(text)
	if lam == nil {
		return nil, lambdaError(msg)
	}
	return lam, nil
}

// lambdaError is the error of ParseLambda.
type lambdaError string

func (e lambdaError) Error() string { return string(e) }

// lamSym is the value of a lambda grammar symbol.
type lamSym struct {
	num   uint32
	str   string
	acc   ast.Accessor
	accs  []ast.Accessor
	state uint8 // for RawLambdaAST: lamPath, lamLength or lamError
	term  int8  // for tokens: terminal index + 1
	rec   *errorRecovery[lamSym]
}

const (
	lamPath uint8 = iota
	lamLength
	lamError
)

// lamLexError is an error of the lambda lexer (AquaVM's lambda LexerError).
type lamLexError struct {
	start, end int
	overflow   bool // ParseIntError rather than UnexpectedSymbol
}

func (e *lamLexError) Error() string {
	if e.overflow {
		return "ParseIntError(" + itoa(e.start) + ", " + itoa(e.end) + ", ParseIntError { kind: PosOverflow })"
	}
	return "UnexpectedSymbol(" + itoa(e.start) + ", " + itoa(e.end) + ")"
}

type lambdaDriver struct {
	in     string
	pos    int
	first  bool
	errors []*errorRecovery[lamSym]
}

func (d *lambdaDriver) next(out *lrToken[lamSym]) (ok bool, err error) {
	tok, ok, err := d.scan()
	*out = tok
	return ok, err
}

func (d *lambdaDriver) scan() (tok lrToken[lamSym], ok bool, err error) {
	in := d.in
	if len(in) == 0 {
		return tok, false, nil
	}
	if d.first {
		d.first = false
		switch {
		case in == ".length":
			d.pos = len(in)
			return lrToken[lamSym]{kind: ltLength, sym: symTriple[lamSym]{start: 0, end: int32(len(in))}}, true, nil
		case strings.HasPrefix(in, ".$"):
			d.pos = 2
			return lrToken[lamSym]{kind: ltValuePathStarter, sym: symTriple[lamSym]{start: 0, end: 2}}, true, nil
		}
		return tok, false, &lamLexError{start: 0, end: len(in)}
	}
	if d.pos >= len(in) {
		return tok, false, nil
	}
	start := d.pos
	c := in[start]
	single := func(kind int) (lrToken[lamSym], bool, error) {
		d.pos++
		return lrToken[lamSym]{kind: kind, sym: symTriple[lamSym]{start: int32(start), end: int32(start + 1)}}, true, nil
	}
	switch {
	case c == '[':
		return single(ltOpenSquare)
	case c == ']':
		return single(ltCloseSquare)
	case c == '.':
		return single(ltDot)
	case c >= '0' && c <= '9':
		i := start
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
		d.pos = i
		var n uint64
		for _, b := range []byte(in[start:i]) {
			n = n*10 + uint64(b-'0')
			if n > 1<<32-1 {
				return tok, false, &lamLexError{start: start, end: i, overflow: true}
			}
		}
		tok = lrToken[lamSym]{kind: ltNumber, sym: symTriple[lamSym]{start: int32(start), end: int32(i)}}
		tok.sym.v.num = uint32(n)
		tok.sym.v.term = ltNumber + 1
		return tok, true, nil
	}
	r, size := rune(c), 1
	if c >= utf8.RuneSelf {
		r, size = utf8.DecodeRuneInString(in[start:])
	}
	if isAirAlphanumeric(r) {
		i := start + size
		for i < len(in) {
			r2, s2 := utf8.DecodeRuneInString(in[i:])
			if !isAirAlphanumeric(r2) {
				break
			}
			i += s2
		}
		d.pos = i
		tok = lrToken[lamSym]{kind: ltString, sym: symTriple[lamSym]{start: int32(start), end: int32(i)}}
		tok.sym.v.str = in[start:i]
		tok.sym.v.term = ltString + 1
		return tok, true, nil
	}
	if c == '!' {
		return single(ltBang)
	}
	d.pos += size
	return tok, false, &lamLexError{start: start, end: start + 1}
}

func (d *lambdaDriver) reduce(prod int, rhs []symTriple[lamSym]) lamSym {
	var out lamSym
	switch lambdaTables.prodAct[prod] {
	case laEmptyPath:
		out.state = lamPath
	case laPath:
		out.state = lamPath
		out.accs = rhs[1].v.accs
	case laLength:
		out.state = lamLength
	case laRawError:
		out.state = lamError
		d.errors = append(d.errors, rhs[0].v.rec)
	case laIndex, laByScalar, laField:
		for _, sym := range rhs {
			switch sym.v.term {
			case ltNumber + 1:
				out.acc = ast.Accessor{Kind: ast.ArrayAccess, Index: sym.v.num}
			case ltString + 1:
				if lambdaTables.prodAct[prod] == laByScalar {
					out.acc = ast.Accessor{Kind: ast.FieldByScalar, Name: sym.v.str}
				} else {
					out.acc = ast.Accessor{Kind: ast.FieldByName, Name: sym.v.str}
				}
			}
		}
	case laAccessorError:
		d.errors = append(d.errors, rhs[0].v.rec)
	case laFirst:
		out.accs = []ast.Accessor{rhs[0].v.acc}
	case laNext:
		out.accs = append(rhs[0].v.accs, rhs[1].v.acc)
	}
	return out
}

func (d *lambdaDriver) errorSymbol(rec *errorRecovery[lamSym]) lamSym {
	return lamSym{rec: rec, state: lamError}
}

// parseLambda parses a lambda; on failure it returns nil and AquaVM's message.
func parseLambda(text string) (*ast.Lambda, string) {
	loadTables()
	d := &lambdaDriver{in: text, first: true}
	p := &lrParser[lamSym, *lambdaDriver]{tab: lambdaTables, drv: d}
	p.run()
	if p.err != nil {
		return nil, debugParseError(p.err)
	}
	if len(d.errors) > 0 {
		var b strings.Builder
		b.WriteByte('[')
		for i, rec := range d.errors {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("ErrorRecovery { error: ")
			b.WriteString(debugParseError(&rec.err))
			b.WriteString(", dropped_tokens: [")
			for j, t := range rec.dropped {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(debugTriple(t))
			}
			b.WriteString("] }")
		}
		b.WriteByte(']')
		return nil, b.String()
	}
	switch p.val.state {
	case lamLength:
		return &ast.Lambda{Length: true}, ""
	case lamError:
		return nil, msgLambdaInternal
	}
	if len(p.val.accs) == 0 {
		return nil, msgEmptyLambda
	}
	return &ast.Lambda{Accessors: p.val.accs}, ""
}

func debugParseError(e *parseError[lamSym]) string {
	switch e.kind {
	case errUnrecognizedToken:
		return "UnrecognizedToken { token: " + debugTriple(e.tok) + ", expected: " + debugExpected(e.expected) + " }"
	case errUnrecognizedEOF:
		return "UnrecognizedEof { location: " + itoa(e.loc) + ", expected: " + debugExpected(e.expected) + " }"
	case errExtraToken:
		return "ExtraToken { token: " + debugTriple(e.tok) + " }"
	}
	return "User { error: " + e.user.Error() + " }"
}

func debugExpected(terms []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, t := range terms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(rustfmt.DebugStr(lambdaTerminalNames[t]))
	}
	b.WriteByte(']')
	return b.String()
}

func debugTriple(t lrToken[lamSym]) string {
	var name string
	switch t.kind {
	case ltBang:
		name = "FlatteningSign"
	case ltDot:
		name = "ValuePathSelector"
	case ltValuePathStarter:
		name = "ValuePathStarter"
	case ltOpenSquare:
		name = "OpenSquareBracket"
	case ltCloseSquare:
		name = "CloseSquareBracket"
	case ltLength:
		name = "LengthFunctor"
	case ltNumber:
		name = "NumberAccessor(" + itoa(int(t.sym.v.num)) + ")"
	case ltString:
		name = "StringAccessor(" + rustfmt.DebugStr(t.sym.v.str) + ")"
	}
	return "(" + itoa(int(t.sym.start)) + ", " + name + ", " + itoa(int(t.sym.end)) + ")"
}
