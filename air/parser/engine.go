package parser

// A table-driven LR parser that behaves exactly like LALRPOP's runtime (lalrpop-util
// 0.20 state machine), error recovery included: on a syntax error it records the
// terminals that could have followed, reduces what the error token allows, looks down the
// stack for a state that can shift the error token and then accept the lookahead,
// dropping input tokens until one is found, and replaces the popped symbols by an error
// symbol whose span covers what was thrown away.

// symTriple is a grammar symbol on the parse stack with its source span.
type symTriple[S any] struct {
	start, end int32
	v          S
}

// lrToken is an input token: its terminal index (negative for tokens that no grammar
// rule accepts) and its value.
type lrToken[S any] struct {
	kind int
	sym  symTriple[S]
}

// parseErrKind tells which LALRPOP ParseError variant an error is.
type parseErrKind uint8

const (
	errUnrecognizedToken parseErrKind = iota
	errUnrecognizedEOF
	errExtraToken
	errUser
)

// parseError mirrors LALRPOP's ParseError.
type parseError[S any] struct {
	kind     parseErrKind
	tok      lrToken[S] // errUnrecognizedToken, errExtraToken
	loc      int        // errUnrecognizedEOF
	expected []int      // terminal indices, ascending
	user     error      // errUser: the lexer's error
}

// errorRecovery mirrors LALRPOP's ErrorRecovery.
type errorRecovery[S any] struct {
	err     parseError[S]
	dropped []lrToken[S]
}

// lrDriver supplies tokens and semantic actions to the LR engine.
type lrDriver[S any] interface {
	// next stores the next token in tok; ok=false at the end of input or on a lexer error.
	next(tok *lrToken[S]) (ok bool, err error)
	// reduce runs the semantic action of production prod over its right-hand side.
	reduce(prod int, rhs []symTriple[S]) S
	// errorSymbol makes the value of the error symbol pushed by error recovery.
	errorSymbol(rec *errorRecovery[S]) S
}

type lrParser[S any, D lrDriver[S]] struct {
	tab     *lrTables
	drv     D
	states  []int16
	syms    []symTriple[S]
	lastLoc int
	scratch []int16

	// The outcome of the parse: the value of the start symbol or the error.
	val S
	err *parseError[S]
}

// nextResult tells what nextToken found.
type nextResult uint8

const (
	foundToken nextResult = iota
	foundEOF
	foundDone // the parse is over: p.val or p.err holds the outcome
)

func (p *lrParser[S, D]) top() int { return int(p.states[len(p.states)-1]) }

// run parses the whole input; the outcome is in p.val / p.err.
func (p *lrParser[S, D]) run() {
	p.states = append(p.states[:0], 0)
	p.syms = p.syms[:0]
	var tok lrToken[S]
	for {
		switch p.nextToken(&tok) {
		case foundEOF:
			p.parseEOF()
			return
		case foundDone:
			return
		}
	inner:
		for {
			a := p.tab.act(p.top(), tok.kind)
			switch {
			case a > 0:
				p.states = append(p.states, a-1)
				p.syms = append(p.syms, tok.sym)
				break inner
			case a < 0:
				if p.reduce(int(-a - 1)) {
					if p.err == nil {
						p.err = &parseError[S]{kind: errExtraToken, tok: tok}
					}
					return
				}
			default:
				switch p.recover(&tok, true) {
				case foundEOF:
					p.parseEOF()
					return
				case foundDone:
					return
				}
			}
		}
	}
}

func (p *lrParser[S, D]) parseEOF() {
	var none lrToken[S]
	for {
		a := p.tab.eof[p.top()]
		if a < 0 {
			if p.reduce(int(-a - 1)) {
				return
			}
			continue
		}
		switch p.recover(&none, false) {
		case foundDone:
			return
		case foundToken:
			panic("parser: cannot find token at EOF")
		}
	}
}

// reduce applies production prod; it returns true when the start symbol was reduced
// (the value is then in p.val).
func (p *lrParser[S, D]) reduce(prod int) bool {
	n := p.tab.prodLen[prod]
	base := len(p.syms) - n
	rhs := p.syms[base:]
	if prod == 0 {
		p.val = rhs[0].v
		return true
	}
	var start, end int32
	if n > 0 {
		start, end = rhs[0].start, rhs[n-1].end
	} else if base > 0 {
		start, end = p.syms[base-1].end, p.syms[base-1].end
	}
	v := p.drv.reduce(prod, rhs)
	p.syms = p.syms[:base]
	p.states = p.states[:len(p.states)-n]
	p.states = append(p.states, int16(p.tab.gotoState(p.top(), p.tab.prodLHS[prod])))
	p.syms = append(p.syms, symTriple[S]{start: start, end: end, v: v})
	return false
}

// nextToken reads the next token into tok.
func (p *lrParser[S, D]) nextToken(tok *lrToken[S]) nextResult {
	ok, err := p.drv.next(tok)
	if err != nil {
		p.err = &parseError[S]{kind: errUser, user: err}
		return foundDone
	}
	if !ok {
		return foundEOF
	}
	p.lastLoc = int(tok.sym.end)
	if tok.kind < 0 {
		p.err = p.unrecognized(tok, p.states)
		return foundDone
	}
	return foundToken
}

// unrecognized builds the error for an unexpected token (nil: end of input), listing the
// terminals that the parser would accept in the given stack.
func (p *lrParser[S, D]) unrecognized(tok *lrToken[S], states []int16) *parseError[S] {
	e := &parseError[S]{}
	for t := 0; t < p.tab.nTerm; t++ {
		if p.accepts(-1, states, t) {
			e.expected = append(e.expected, t)
		}
	}
	if tok != nil {
		e.kind = errUnrecognizedToken
		e.tok = *tok
	} else {
		e.kind = errUnrecognizedEOF
		e.loc = p.lastLoc
	}
	return e
}

// accepts simulates the automaton on a copy of the stack (plus errState when >= 0) to
// see whether terminal term (-1: end of input) would eventually be shifted or accepted.
//
// The simulated stack is the untouched prefix states[:base] followed by the states the
// simulation pushed (kept in p.scratch), so that a call costs the length of the
// simulation rather than the depth of the stack.
func (p *lrParser[S, D]) accepts(errState int, states []int16, term int) bool {
	base := len(states)
	st := p.scratch[:0]
	if errState >= 0 {
		st = append(st, int16(errState))
	}
	defer func() { p.scratch = st[:0] }()
	for {
		var top int
		if len(st) > 0 {
			top = int(st[len(st)-1])
		} else {
			top = int(states[base-1])
		}
		var a int16
		if term < 0 {
			a = p.tab.eof[top]
		} else {
			a = p.tab.act(top, term)
		}
		if a == 0 {
			return false
		}
		if a > 0 {
			return true
		}
		prod := int(-a - 1)
		if prod == 0 {
			return true
		}
		// Pop the right-hand side, from the pushed states first, then from the prefix.
		n := p.tab.prodLen[prod]
		if n <= len(st) {
			st = st[:len(st)-n]
		} else {
			base -= n - len(st)
			st = st[:0]
		}
		var under int
		if len(st) > 0 {
			under = int(st[len(st)-1])
		} else {
			under = int(states[base-1])
		}
		st = append(st, int16(p.tab.gotoState(under, p.tab.prodLHS[prod])))
	}
}

// recover performs LALRPOP's error recovery for the lookahead tok (haveLA false: end of
// input). On foundToken, tok holds the lookahead to continue with.
func (p *lrParser[S, D]) recover(tok *lrToken[S], haveLA bool) nextResult {
	var perr *parseError[S]
	if haveLA {
		perr = p.unrecognized(tok, p.states)
	} else {
		perr = p.unrecognized(nil, p.states)
	}
	var dropped []lrToken[S]
	// Reduce what an error token in the lookahead allows.
	for {
		a := p.tab.errAct(p.top())
		if a >= 0 {
			break
		}
		if p.reduce(int(-a - 1)) {
			return foundDone
		}
	}
	statesLen := len(p.states)
	top := 0
	// The stack does not change while tokens are dropped, so the state found for a
	// terminal can be remembered (this keeps long runs of dropped tokens linear).
	found := map[int]int{}
	for {
		term := -1
		if haveLA {
			term = tok.kind
		}
		t, ok := found[term]
		if !ok {
			for t = statesLen - 1; t >= 0; t-- {
				if a := p.tab.errAct(int(p.states[t])); a > 0 && p.accepts(int(a-1), p.states[:t+1], term) {
					break
				}
			}
			found[term] = t
		}
		if t >= 0 {
			top = t
			break
		}
		if !haveLA {
			p.err = perr
			return foundDone
		}
		dropped = append(dropped, *tok)
		switch p.nextToken(tok) {
		case foundEOF:
			haveLA = false
		case foundDone:
			return foundDone
		}
	}
	var start, end int32
	switch {
	case top < len(p.syms):
		start = p.syms[top].start
	case len(dropped) > 0:
		start = dropped[0].sym.start
	case top > 0:
		start = p.syms[top-1].end
	}
	switch {
	case len(dropped) > 0:
		end = dropped[len(dropped)-1].sym.end
	case statesLen-1 > top:
		end = p.syms[len(p.syms)-1].end
	case haveLA:
		end = tok.sym.start
	default:
		end = start
	}
	p.states = p.states[:top+1]
	p.syms = p.syms[:top]
	errState := p.tab.errAct(int(p.states[top])) - 1
	p.states = append(p.states, errState)
	rec := &errorRecovery[S]{err: *perr, dropped: dropped}
	p.syms = append(p.syms, symTriple[S]{start: start, end: end, v: p.drv.errorSymbol(rec)})
	if haveLA {
		return foundToken
	}
	return foundEOF
}
