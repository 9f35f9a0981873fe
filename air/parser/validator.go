package parser

import (
	"sort"

	"github.com/cascadep2p/cascade/air/ast"
)

// The validator reproduces AquaVM's VariableValidator: it is fed every instruction as
// the parser reduces it (children before parents), and reports, after the parse,
// undefined variables and iterables, misplaced next instructions, fail with code 0, etc.
// Everything is compared by instruction span, never by scope, exactly as in AquaVM.
//
// AquaVM keeps some of these tables in hash maps and reports the errors of different
// names in hash order, which varies from run to run; Cascade reports them in the order
// the names were first met.

// spanLess is AquaVM's ordering of spans (by left end).
func spanLess(a, b ast.Span) bool { return a.Left < b.Left }

// spanContainsSpan is AquaVM's strict containment of one span in another.
func spanContainsSpan(outer, inner ast.Span) bool {
	in := func(p ast.Pos) bool { return outer.Left < p && p < outer.Right }
	return in(inner.Left) && in(inner.Right)
}

// orderedSpans is a multimap from names to spans that remembers key insertion order.
type orderedSpans struct {
	keys []string
	m    map[string][]ast.Span
}

func (o *orderedSpans) add(name string, s ast.Span) {
	if o.m == nil {
		o.m = map[string][]ast.Span{}
	}
	v, ok := o.m[name]
	if !ok {
		o.keys = append(o.keys, name)
	}
	o.m[name] = append(v, s)
}

// addFirst records only the first span of each name (the others are never looked at).
func (o *orderedSpans) addFirst(name string, s ast.Span) {
	if o.m == nil {
		o.m = map[string][]ast.Span{}
	}
	if _, ok := o.m[name]; !ok {
		o.keys = append(o.keys, name)
		o.m[name] = []ast.Span{s}
	}
}

type nameSpan struct {
	name string
	span ast.Span
}

type validator struct {
	vars            varTable
	unresolvedVars  []string // names with an unresolved use, in the order met
	lastUnresolved  string   // the name of the last use found unresolved or skipped as such
	iterDefs        orderedSpans
	unresolvedIters orderedSpans
	nextCandidates  orderedSpans
	notIterators    []nameSpan
	zeroCodeFails   []ast.Span
	machine         afterNextMachine
	errors          []label
	names           map[string]int32
}

// intern numbers iterator names for the after-next machine (from 1).
func (v *validator) intern(name string) int32 {
	if v.names == nil {
		v.names = map[string]int32{}
	}
	id, ok := v.names[name]
	if !ok {
		id = int32(len(v.names) + 1)
		v.names[name] = id
	}
	return id
}

// newValidator makes a validator for a script of the given length (used to size the
// table of variables: scripts define roughly one variable per 60 bytes at most).
func newValidator(scriptLen int) *validator {
	v := &validator{machine: afterNextMachine{enabled: true}}
	v.vars.reserve(scriptLen / 64)
	return v
}

// reset empties the validator for another script, keeping the table of variables'
// memory.
func (v *validator) reset() {
	v.vars.reset()
	clear(v.unresolvedVars)
	*v = validator{vars: v.vars, unresolvedVars: v.unresolvedVars[:0],
		machine: afterNextMachine{enabled: true, stack: v.machine.stack[:0]}}
}

// contains tells whether name is defined, as a variable or an iterator, at a span
// before at.
func (v *validator) contains(name string, at ast.Span) bool {
	if e := v.vars.get(name); e != nil && e.defined && spanLess(e.def, at) {
		return true
	}
	return v.isIterator(name, at)
}

// isIterator tells whether name is a fold iterator at a span before at.
func (v *validator) isIterator(name string, at ast.Span) bool {
	for _, s := range v.iterDefs.m[name] {
		if spanLess(s, at) {
			return true
		}
	}
	return false
}

func (v *validator) use(name string, at ast.Span) {
	// Only the first unresolved use of a name is ever checked again. Uses of a fold's
	// iterator in its body are all unresolved (the fold is met after its body), and
	// often come one after the other.
	if name == v.lastUnresolved && name != "" {
		return
	}
	e := v.vars.get(name)
	if e != nil && e.isUnres {
		v.lastUnresolved = name
		return
	}
	if e != nil && e.defined && spanLess(e.def, at) {
		return
	}
	if v.isIterator(name, at) {
		return
	}
	if e == nil {
		e = v.vars.entry(name)
	}
	e.unresolved, e.isUnres = at, true
	v.unresolvedVars = append(v.unresolvedVars, name)
	v.lastUnresolved = name
}

func (v *validator) define(name string, at ast.Span) {
	e := v.vars.entry(name)
	// AquaVM keeps the smaller span (by its ordering).
	if !e.defined || !spanLess(e.def, at) && e.def != at {
		e.def, e.defined = at, true
	}
}

func (v *validator) useLambda(l *ast.Lambda, at ast.Span) {
	if l == nil {
		return
	}
	for _, a := range l.Accessors {
		if a.Kind == ast.FieldByScalar {
			v.use(a.Name, at)
		}
	}
}

// useValue checks a value in a position where variables must be defined (variables,
// with their lambdas; :error: and %last_error% lambdas are not checked).
func (v *validator) useValue(val *ast.Value, at ast.Span) {
	switch val.Kind {
	case ast.KindScalar, ast.KindCanonStream, ast.KindCanonStreamMap:
		v.use(val.Name, at)
		v.useLambda(val.Lambda, at)
	}
}

func (v *validator) metCall(c *ast.Call, at ast.Span) {
	v.useValue(&c.Peer, at)
	v.useValue(&c.Service, at)
	v.useValue(&c.Function, at)
	for i := range c.Args {
		v.useValue(&c.Args[i], at)
	}
	v.machine.met(ckSimple, 0, at)
	if c.Output.Kind != ast.KindNone {
		v.define(c.Output.Name, at)
	}
}

func (v *validator) metDefiningSimple(name string, at ast.Span) {
	v.define(name, at)
	v.machine.met(ckSimple, 0, at)
}

func (v *validator) metMatch(l, r *ast.Value, at ast.Span) {
	v.useValue(l, at)
	v.useValue(r, at)
	v.machine.met(ckReplacing, 0, at)
}

func (v *validator) metFold(f *ast.Fold, hasLast bool, at ast.Span) {
	if f.Kind == ast.FoldScalar {
		v.useValue(&f.Iterable, at)
		v.iterDefs.add(f.Iterator, at)
		if hasLast {
			v.machine.met(ckPopStack2, 0, at)
		} else {
			v.machine.met(ckPopStack1, 0, at)
		}
		return
	}
	v.use(f.Iterable.Name, at)
	v.iterDefs.add(f.Iterator, at)
	if hasLast {
		v.machine.met(ckPopStack1ReplacingWithCheck, v.intern(f.Iterator), at)
	} else {
		v.machine.met(ckReplacingWithCheck, v.intern(f.Iterator), at)
	}
}

func (v *validator) metNew(n *ast.New, at ast.Span) {
	v.notIterators = append(v.notIterators, nameSpan{n.Arg.Name, at})
	v.define(n.Arg.Name, at)
	v.machine.met(ckReplacing, 0, at)
}

func (v *validator) metNext(iterator string, at ast.Span) {
	v.unresolvedIters.addFirst(iterator, at)
	v.nextCandidates.add(iterator, at)
	v.machine.met(ckPivotalNext, v.intern(iterator), at)
}

func (v *validator) metAp(a *ast.Ap, at ast.Span) {
	v.useValue(&a.Arg, at)
	v.define(a.Result.Name, at)
	v.machine.met(ckSimple, 0, at)
}

func (v *validator) metApMap(a *ast.ApMap, at ast.Span) {
	v.useValue(&a.Key, at)
	v.define(a.Map.Name, at)
	v.machine.met(ckSimple, 0, at)
}

func (v *validator) metFail(f *ast.Fail, at ast.Span) {
	if f != nil && f.Kind == ast.FailLiteral && f.RetCode == 0 {
		v.zeroCodeFails = append(v.zeroCodeFails, at)
	}
	v.machine.met(ckSimple, 0, at)
}

// closestFold returns the innermost fold span with the given iterator containing at.
func (v *validator) closestFold(name string, at ast.Span) (ast.Span, bool) {
	var found ast.Span
	ok := false
	for _, s := range v.iterDefs.m[name] {
		if spanContainsSpan(s, at) {
			found, ok = s, true
		}
	}
	return found, ok
}

func (v *validator) addError(at ast.Span, msg string) {
	v.errors = append(v.errors, label{start: int(at.Left), end: int(at.Right), msg: msg})
}

// finalize runs the checks that need the whole script and returns their errors.
func (v *validator) finalize() []label {
	for _, spans := range v.iterDefs.m {
		sort.Slice(spans, func(i, j int) bool { return spanLess(spans[i], spans[j]) })
	}
	for _, name := range v.unresolvedVars {
		at := v.vars.get(name).unresolved
		if !v.contains(name, at) {
			v.addError(at, "variable '"+name+"' wasn't defined")
		}
	}
	for _, name := range v.unresolvedIters.keys {
		at := v.unresolvedIters.m[name][0]
		if _, ok := v.closestFold(name, at); !ok {
			v.addError(at, "iterable '"+name+"' wasn't defined")
		}
	}
	for _, name := range v.nextCandidates.keys {
		seen := map[ast.Span]bool{}
		for _, at := range v.nextCandidates.m[name] {
			fs, ok := v.closestFold(name, at)
			if !ok {
				continue
			}
			if seen[fs] {
				v.addError(at, "multiple next instructions for iterator '"+name+"' found for one fold, that is prohibited")
			}
			seen[fs] = true
		}
	}
	for _, ns := range v.notIterators {
		if _, ok := v.closestFold(ns.name, ns.span); ok {
			v.addError(ns.span, "new can't be applied to a '"+ns.name+"' because it's an iterator")
		}
	}
	for _, name := range v.iterDefs.keys {
		var prev ast.Span
		havePrev := false
		for _, s := range v.iterDefs.m[name] {
			if havePrev && spanContainsSpan(prev, s) {
				v.addError(s, "multiple iterable values found for iterator name '"+name+"'")
				continue
			}
			prev, havePrev = s, true
		}
	}
	for _, at := range v.zeroCodeFails {
		v.addError(at, "error code 0 with fail is unsupported")
	}
	for _, at := range v.machine.malformed {
		v.addError(at, "fold can not have instructions after next")
	}
	return v.errors
}

// checkKind is an instruction class of the "instruction after next" state machine.
type checkKind uint8

const (
	ckPivotalNext checkKind = iota
	ckMerging
	ckPopStack1
	ckPopStack2
	ckReplacing
	ckReplacingWithCheck
	ckXoring
	ckPopStack1ReplacingWithCheck
	ckSimple
)

type machineEntry struct {
	kind checkKind
	name int32 // iterator of ckPivotalNext and the *WithCheck kinds (interned)
	span ast.Span
}

// afterNextMachine finds instructions executed after next in folds over streams and
// stream maps (AquaVM's AfterNextCheckMachine).
type afterNextMachine struct {
	stack     []machineEntry
	potential map[int32]ast.Span
	malformed []ast.Span
	enabled   bool
}

func (m *afterNextMachine) pop() (machineEntry, bool) {
	if len(m.stack) == 0 {
		return machineEntry{}, false
	}
	e := m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	return e, true
}

func (m *afterNextMachine) push(kind checkKind, name int32, at ast.Span) {
	m.stack = append(m.stack, machineEntry{kind, name, at})
}

func (m *afterNextMachine) disable() {
	m.stack = m.stack[:0]
	m.enabled = false
}

func (m *afterNextMachine) met(kind checkKind, name int32, at ast.Span) {
	if !m.enabled {
		return
	}
	// The two commonest cases, in place: a simple instruction, and seq or par over two
	// children that are not a next.
	n := len(m.stack)
	switch {
	case kind == ckSimple:
		m.stack = append(m.stack, machineEntry{ckSimple, 0, at})
		return
	case kind == ckMerging && n >= 2 && m.stack[n-1].kind != ckPivotalNext && m.stack[n-2].kind != ckPivotalNext:
		m.stack[n-2] = machineEntry{ckMerging, 0, at}
		m.stack = m.stack[:n-1]
		return
	}
	switch kind {
	case ckReplacing:
		child, ok := m.pop()
		switch {
		case !ok:
			m.disable()
		case child.kind == ckPivotalNext:
			m.push(ckPivotalNext, child.name, at)
		default:
			m.push(ckReplacing, 0, at)
		}
	case ckXoring:
		right, okR := m.pop()
		left, okL := m.pop()
		switch {
		case !okR || !okL:
			m.disable()
		case left.kind == ckPivotalNext && right.kind == ckPivotalNext:
			m.disable()
		case left.kind == ckPivotalNext:
			m.push(ckPivotalNext, left.name, at)
		case right.kind == ckPivotalNext:
			m.push(ckPivotalNext, right.name, at)
		default:
			m.push(ckXoring, 0, at)
		}
	case ckMerging:
		right, okR := m.pop()
		left, okL := m.pop()
		switch {
		case !okR || !okL:
			m.disable()
		case left.kind == ckPivotalNext && right.kind == ckPivotalNext && left.name == right.name:
			m.push(ckPivotalNext, left.name, at)
		case left.kind == ckPivotalNext:
			m.push(ckMerging, 0, at)
			if m.potential == nil {
				m.potential = map[int32]ast.Span{}
			}
			if _, ok := m.potential[left.name]; !ok {
				m.potential[left.name] = at
			}
		case right.kind == ckPivotalNext:
			m.push(ckPivotalNext, right.name, at)
		default:
			m.push(ckMerging, 0, at)
		}
	case ckReplacingWithCheck:
		m.replacingWithCheck(kind, name, at)
	case ckPopStack1ReplacingWithCheck:
		m.pop()
		m.replacingWithCheck(kind, name, at)
	case ckPivotalNext, ckSimple:
		m.push(kind, name, at)
	case ckPopStack1:
		m.pop()
		m.push(kind, 0, at)
	case ckPopStack2:
		m.pop()
		m.pop()
		m.push(kind, 0, at)
	}
}

func (m *afterNextMachine) check(iterator int32) {
	if s, ok := m.potential[iterator]; ok {
		m.malformed = append(m.malformed, s)
	}
}

func (m *afterNextMachine) replacingWithCheck(kind checkKind, iterator int32, at ast.Span) {
	child, ok := m.pop()
	switch {
	case !ok:
		m.enabled = false
	case child.kind == ckPivotalNext && child.name == iterator:
		m.check(iterator)
		delete(m.potential, iterator)
		m.push(ckSimple, 0, at)
	case child.kind == ckPivotalNext:
		m.check(iterator)
		m.push(ckPivotalNext, child.name, at)
	default:
		m.check(iterator)
		m.push(kind, iterator, at)
	}
}
