// Package parser parses AIR scripts into the syntax tree of package ast, accepting and
// rejecting exactly what AquaVM 0.62 accepts and rejects, and failing with exactly the
// message AquaVM returns (ret_code 1, "air can't be parsed: ...").
//
// Like AquaVM, it runs an LALR(1) automaton of AquaVM's grammar with LALRPOP's error
// recovery (so several syntax errors can be reported at once), then AquaVM's static
// checks (undefined variables, misplaced next, fail with code 0, ...), and renders the
// errors the way the codespan-reporting crate does.
package parser

import (
	"strings"
	"sync"

	"github.com/cascadep2p/cascade/air/ast"
	"github.com/cascadep2p/cascade/air/internal/slab"
)

// ErrorPrefix starts the message of every parse error; AquaVM adds it when it reports
// a script that does not parse (PreparationError::AIRParseError).
const ErrorPrefix = "air can't be parsed:\n"

// MaxNesting is the deepest nesting of parentheses Parse accepts; deeper scripts fail
// with a parse error. AquaVM has no explicit limit but runs out of stack (a trap, no
// result) between 3000 and 4000 nested instructions; the limit keeps recursive walks
// over the tree safe.
const MaxNesting = 10000

// Label is one error found in a script: a byte range and a message.
type Label struct {
	// Start and End delimit the offending text (byte offsets, End exclusive).
	Start, End ast.Pos
	// Message is AquaVM's description of the error.
	Message string
}

// Error is a parse failure. Its Error text is AquaVM's complete error message.
type Error struct {
	// Labels are the errors in the order AquaVM reports them.
	Labels []Label
	msg    string
}

// Error returns the message AquaVM returns for the script: ErrorPrefix followed by the
// source-annotated report.
func (e *Error) Error() string { return e.msg }

func newError(script string, labels []label) *Error {
	e := &Error{msg: ErrorPrefix + renderReport(script, labels)}
	for _, l := range labels {
		e.Labels = append(e.Labels, Label{Start: ast.Pos(l.start), End: ast.Pos(l.end), Message: l.msg})
	}
	return e
}

// Parse parses and validates an AIR script. On failure the error is an *Error. Parse is
// safe for concurrent use.
func Parse(script string) (ast.Instruction, error) {
	if in, ok, err := parseFast(script); ok {
		return in, err
	}
	// The script has a syntax error: parse it again the way AquaVM does, to report
	// the same errors.
	in, _, err := parseLR(script)
	return in, err
}

// parseFast parses a script with the recursive-descent parser; ok is false when the
// script has a syntax error.
func parseFast(script string) (in ast.Instruction, ok bool, err error) {
	return newAirDriver(script).parseFast()
}

func (d *airDriver) parseFast() (in ast.Instruction, ok bool, err error) {
	f := fastParser{d: d, src: d.src, args: d.argScratch[:0]}
	in, ok = f.parseScript()
	d.argScratch = f.args
	if !ok {
		return nil, false, nil
	}
	if errs := d.val.finalize(); len(errs) > 0 {
		return nil, true, newError(d.src, errs)
	}
	return in, true, nil
}

// Tree is a parsed script whose memory can be recycled: once the caller is done with
// the tree, Release lets the next ParseTree reuse its nodes instead of allocating them.
type Tree struct {
	// Root is the script's top instruction.
	Root ast.Instruction
	d    *airDriver
}

// maxRecycled is the largest tree, in nodes and argument values, whose memory Release
// keeps for reuse; the memory of larger ones is left to the garbage collector.
const maxRecycled = 1 << 16

// recycled holds the drivers of released trees.
var recycled sync.Pool

// ParseTree is Parse for a caller that knows when it is done with the tree. On failure
// the error is an *Error and the tree is nil. ParseTree is safe for concurrent use.
func ParseTree(script string) (*Tree, error) {
	d, _ := recycled.Get().(*airDriver)
	if d == nil {
		d = newAirDriver(script)
	} else {
		d.reuse(script)
	}
	in, ok, err := d.parseFast()
	if !ok {
		in, _, err = parseLR(script)
	}
	if err != nil {
		d.release()
		return nil, err
	}
	return &Tree{Root: in, d: d}, nil
}

// Release hands the tree's memory over to later parses. Neither the tree nor anything
// taken from it by reference (a node, a pointer into a node, an argument list) may be
// used afterwards; values copied out of it, and their strings, stay valid. Release may
// be called once.
func (t *Tree) Release() {
	if t == nil || t.d == nil {
		return
	}
	t.d.release()
	t.d, t.Root = nil, nil
}

// release returns the driver to the pool when its memory is worth keeping.
func (d *airDriver) release() {
	if d.size() > maxRecycled {
		return
	}
	d.nodes.reset()
	clear(d.argScratch)
	clear(d.lex.lambdas)
	clear(d.args)
	d.src, d.lex.src, d.errors = "", "", nil
	d.val.reset()
	recycled.Put(d)
}

// reuse prepares a new or released driver for a script.
func (d *airDriver) reuse(script string) {
	d.src = script
	d.lex = lexer{src: script, maxDepth: MaxNesting, lambdas: d.lex.lambdas[:0]}
	d.args = d.args[:0]
}

// parseLR parses a script with the LR automaton and LALRPOP's error recovery;
// syntaxOK tells that there was no syntax or lexer error.
func parseLR(script string) (in ast.Instruction, syntaxOK bool, err error) {
	loadTables()
	d := newAirDriver(script)
	p := &lrParser[airSym, *airDriver]{tab: airTables, drv: d}
	p.states = make([]int16, 0, 64)
	p.syms = make([]symTriple[airSym], 0, 64)
	p.run()
	if p.err != nil {
		return nil, false, newError(script, []label{airErrorLabel(p.err)})
	}
	syntaxOK = len(d.errors) == 0
	errs := append(d.errors, d.val.finalize()...)
	if len(errs) > 0 {
		return nil, syntaxOK, newError(script, errs)
	}
	return p.val.instr, true, nil
}

// airSym is the value of an AIR grammar symbol. It is kept small because the parsers
// copy symbols around a lot: a value symbol (a token, or a nonterminal standing for
// one) keeps what is needed to build its ast.Value from the script text, an argument
// list is an index in a table of the driver.
type airSym struct {
	num   int64           // I64: the number; F64: its bits
	instr ast.Instruction // Instr, and the call / fail of Triplet / FailBody
	ref   int32           // lambda (value symbols) or argument list index
	name  int32           // variables: length of the name (the text before the lambda)
	term  int8            // value symbols: the token's terminal, or termEmptyArray
}

// termEmptyArray marks the value symbol of "[" "]".
const termEmptyArray = -1

// nodes allocates the tree's nodes.
type nodes struct {
	calls     slab.Slab[ast.Call]
	aps       slab.Slab[ast.Ap]
	seqs      slab.Slab[ast.Seq]
	pars      slab.Slab[ast.Par]
	xors      slab.Slab[ast.Xor]
	folds     slab.Slab[ast.Fold]
	nexts     slab.Slab[ast.Next]
	news      slab.Slab[ast.New]
	matches   slab.Slab[ast.Match]
	mismatchs slab.Slab[ast.Mismatch]
	fails     slab.Slab[ast.Fail]
	canons    slab.Slab[ast.Canon]
	values    slab.Slab[ast.Value] // argument lists
}

// size returns the number of nodes and argument values handed out.
func (n *nodes) size() int {
	return n.calls.Len() + n.aps.Len() + n.seqs.Len() + n.pars.Len() + n.xors.Len() + n.folds.Len() +
		n.nexts.Len() + n.news.Len() + n.matches.Len() + n.mismatchs.Len() + n.fails.Len() +
		n.canons.Len() + n.values.Len()
}

// reset zeroes the nodes handed out and makes them available again.
func (n *nodes) reset() {
	n.calls.Reset()
	n.aps.Reset()
	n.seqs.Reset()
	n.pars.Reset()
	n.xors.Reset()
	n.folds.Reset()
	n.nexts.Reset()
	n.news.Reset()
	n.matches.Reset()
	n.mismatchs.Reset()
	n.fails.Reset()
	n.canons.Reset()
	n.values.Reset()
}

type airDriver struct {
	nodes
	src    string
	lex    lexer
	val    *validator
	args   [][]ast.Value // argument lists under construction (a stack)
	errors []label

	argScratch []ast.Value // the fast parser's argument list under construction
}

func newAirDriver(script string) *airDriver {
	d := &airDriver{val: newValidator(len(script))}
	d.reuse(script)
	return d
}

func (d *airDriver) next(tok *lrToken[airSym]) (bool, error) { return d.lex.next(tok) }

func (d *airDriver) errorSymbol(rec *errorRecovery[airSym]) airSym {
	// LALRPOP pushes the error when it reduces Instr = error, which always happens
	// right after the recovery.
	d.errors = append(d.errors, airErrorLabel(&rec.err))
	return airSym{}
}

// value builds the ast.Value of a value symbol.
func (d *airDriver) value(s symTriple[airSym]) ast.Value {
	v := ast.Value{Pos: ast.Pos(s.start)}
	switch s.v.term {
	case termEmptyArray:
		v.Kind = ast.KindEmptyArray
	case tLiteral:
		v.Kind = ast.KindLiteral
		v.Name = d.src[s.start+1 : s.end-1]
	case tI64:
		v.Kind = ast.KindInt
		v.Int = s.v.num
	case tF64:
		v.Kind = ast.KindFloat
		v.Int = s.v.num
	case tBoolean:
		v.Kind = ast.KindBool
		v.Bool = d.src[s.start] == 't'
	case tInitPeerID:
		v.Kind = ast.KindInitPeerID
	case tTimestamp:
		v.Kind = ast.KindTimestamp
	case tTTL:
		v.Kind = ast.KindTTL
	case tError, tErrorWithLambda:
		v.Kind = ast.KindError
	case tLastError, tLastErrorWithLambda:
		v.Kind = ast.KindLastError
	case tScalar, tScalarWithLambda:
		v.Kind = ast.KindScalar
	case tStream:
		v.Kind = ast.KindStream
	case tStreamMap:
		v.Kind = ast.KindStreamMap
	case tCanonStream, tCanonStreamWithLambda:
		v.Kind = ast.KindCanonStream
	case tCanonStreamMap, tCanonStreamMapWithLambda:
		v.Kind = ast.KindCanonStreamMap
	}
	switch s.v.term {
	case tErrorWithLambda, tLastErrorWithLambda:
		v.Lambda = d.lex.lambdas[s.v.ref]
	case tScalarWithLambda, tCanonStreamWithLambda, tCanonStreamMapWithLambda:
		v.Lambda = d.lex.lambdas[s.v.ref]
		fallthrough
	case tScalar, tStream, tStreamMap, tCanonStream, tCanonStreamMap:
		v.Name = d.src[s.start : s.start+s.v.name]
	}
	return v
}

// name returns the name of a variable symbol.
func (d *airDriver) name(s symTriple[airSym]) string {
	return d.src[s.start : s.start+s.v.name]
}

func (d *airDriver) addInstr(in ast.Instruction) airSym { return airSym{instr: in} }

func (d *airDriver) fail(f ast.Fail) *ast.Fail {
	p := d.fails.New()
	*p = f
	return p
}

func expectedText(terms []int) string {
	if len(terms) == 0 {
		return "<nothing>"
	}
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteString(airTerminalNames[t])
	}
	return b.String()
}

func airErrorLabel(e *parseError[airSym]) label {
	switch e.kind {
	case errUnrecognizedToken:
		return label{int(e.tok.sym.start), int(e.tok.sym.end), "expected " + expectedText(e.expected)}
	case errUnrecognizedEOF:
		return label{e.loc, e.loc + 1, "expected " + expectedText(e.expected)}
	case errExtraToken:
		return label{int(e.tok.sym.start), int(e.tok.sym.end), "extra token"}
	}
	if le, ok := e.user.(*lexError); ok {
		return label{le.start, le.end, le.msg}
	}
	return label{0, 0, e.user.Error()}
}

// errorInstr stands for Instr = error in the tree under construction.
var errorInstr ast.Instruction

func (d *airDriver) reduce(prod int, rhs []symTriple[airSym]) airSym {
	return d.action(airTables.prodAct[prod], rhs)
}

// action runs semantic action act over the right-hand side of its production.
func (d *airDriver) action(act int, rhs []symTriple[airSym]) airSym {
	switch act {
	case aPass, aNumberInt:
		return rhs[0].v
	case aEmptyArray:
		return airSym{term: termEmptyArray}
	case aArgsEmpty:
		d.args = append(d.args, nil)
		return airSym{ref: int32(len(d.args) - 1)}
	case aArgsList:
		return rhs[1].v
	case aArgFirst:
		args := make([]ast.Value, 1, 4)
		args[0] = d.value(rhs[0])
		d.args = append(d.args, args)
		return airSym{ref: int32(len(d.args) - 1)}
	case aArgNext:
		ref := rhs[0].v.ref
		d.args[ref] = append(d.args[ref], d.value(rhs[1]))
		return rhs[0].v
	case aTriplet:
		c := d.calls.New()
		c.Peer, c.Service, c.Function = d.value(rhs[0]), d.value(rhs[2]), d.value(rhs[3])
		return d.addInstr(c)
	case aFailScalar:
		return d.addInstr(d.fail(ast.Fail{Kind: ast.FailScalar, Value: d.value(rhs[0])}))
	case aFailLiteral:
		return d.addInstr(d.fail(ast.Fail{Kind: ast.FailLiteral, RetCode: rhs[0].v.num, Message: d.value(rhs[1]).Name}))
	case aFailCanon:
		return d.addInstr(d.fail(ast.Fail{Kind: ast.FailCanonStream, Value: d.value(rhs[0])}))
	case aFailLastError:
		return d.addInstr(d.fail(ast.Fail{Kind: ast.FailLastError}))
	case aFailError:
		return d.addInstr(d.fail(ast.Fail{Kind: ast.FailError}))
	case aInstrError:
		return d.addInstr(errorInstr)
	}

	// Instructions.
	span := ast.Span{Left: ast.Pos(rhs[0].start), Right: ast.Pos(rhs[len(rhs)-1].end)}
	v := d.val
	instr := func(i int) ast.Instruction { return rhs[i].v.instr }
	var in ast.Instruction
	switch act {
	case aCall, aCallNoOutput:
		call := instr(2).(*ast.Call)
		call.Args = d.args[rhs[3].v.ref]
		d.args = d.args[:rhs[3].v.ref]
		if act == aCall {
			call.Output = d.value(rhs[4])
		}
		v.metCall(call, span)
		in = call
	case aCanon:
		c := d.canons.New()
		c.Peer, c.Stream, c.Canon = d.value(rhs[2]), d.value(rhs[3]), d.value(rhs[4])
		v.metDefiningSimple(c.Canon.Name, span)
		in = c
	case aCanonMap:
		c := &ast.CanonMap{Peer: d.value(rhs[2]), StreamMap: d.value(rhs[3]), CanonMap: d.value(rhs[4])}
		v.metDefiningSimple(c.CanonMap.Name, span)
		in = c
	case aCanonMapScalar:
		c := &ast.CanonMapScalar{Peer: d.value(rhs[2]), StreamMap: d.value(rhs[3]), Scalar: d.value(rhs[4])}
		v.metDefiningSimple(c.Scalar.Name, span)
		in = c
	case aAp:
		a := d.aps.New()
		a.Arg, a.Result = d.value(rhs[2]), d.value(rhs[3])
		v.metAp(a, span)
		in = a
	case aApMap:
		a := &ast.ApMap{Key: d.value(rhs[3]), Value: d.value(rhs[4]), Map: d.value(rhs[6])}
		v.metApMap(a, span)
		in = a
	case aSeq:
		v.machine.met(ckMerging, 0, span)
		n := d.seqs.New()
		n.Left, n.Right = instr(2), instr(3)
		in = n
	case aPar:
		v.machine.met(ckMerging, 0, span)
		n := d.pars.New()
		n.Left, n.Right = instr(2), instr(3)
		in = n
	case aXor:
		v.machine.met(ckXoring, 0, span)
		n := d.xors.New()
		n.Left, n.Right = instr(2), instr(3)
		in = n
	case aNever:
		v.machine.met(ckSimple, 0, span)
		in = &ast.Never{}
	case aNull:
		v.machine.met(ckSimple, 0, span)
		in = &ast.Null{}
	case aNew:
		n := d.news.New()
		n.Arg, n.Body, n.Span = d.value(rhs[2]), instr(3), span
		v.metNew(n, span)
		in = n
	case aFail:
		f := instr(2).(*ast.Fail)
		v.metFail(f, span)
		in = f
	case aFoldScalar, aFoldScalarLast, aFoldStream, aFoldStreamLast, aFoldStreamMap, aFoldStreamMapLast:
		f := d.folds.New()
		f.Iterable, f.Iterator, f.Body, f.Span = d.value(rhs[2]), d.name(rhs[3]), instr(4), span
		hasLast := act == aFoldScalarLast || act == aFoldStreamLast || act == aFoldStreamMapLast
		if hasLast {
			f.Last = instr(5)
		}
		switch act {
		case aFoldStream, aFoldStreamLast:
			f.Kind = ast.FoldStream
		case aFoldStreamMap, aFoldStreamMapLast:
			f.Kind = ast.FoldStreamMap
		}
		v.metFold(f, hasLast, span)
		in = f
	case aNext:
		n := d.nexts.New()
		n.Iterator = d.name(rhs[2])
		v.metNext(n.Iterator, span)
		in = n
	case aMatch:
		m := d.matches.New()
		m.Left, m.Right, m.Body = d.value(rhs[2]), d.value(rhs[3]), instr(4)
		v.metMatch(&m.Left, &m.Right, span)
		in = m
	case aMismatch:
		m := d.mismatchs.New()
		m.Left, m.Right, m.Body = d.value(rhs[2]), d.value(rhs[3]), instr(4)
		v.metMatch(&m.Left, &m.Right, span)
		in = m
	}
	return d.addInstr(in)
}
