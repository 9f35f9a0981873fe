// Package ast defines the syntax tree of AIR scripts as produced by package parser.
//
// The tree mirrors AquaVM's own AST closely enough that every instruction can be printed
// back in AquaVM's text form (used in error objects) and every variable use carries the
// byte position the interpreter needs for scoping restricted streams.
package ast

import "math"

// Pos is a byte offset into the script text.
type Pos int

// Span is a half-open byte range [Left, Right) of the script text.
type Span struct {
	Left, Right Pos
}

// Contains reports whether p lies inside the span.
func (s Span) Contains(p Pos) bool { return s.Left <= p && p < s.Right }

// ValueKind tells which syntactic form a Value has.
type ValueKind uint8

// The forms a value (argument, peer id, operand, key, ...) can take.
const (
	// KindNone is the absence of a value (e.g. a call without output).
	KindNone ValueKind = iota
	// KindInitPeerID is %init_peer_id%.
	KindInitPeerID
	// KindTimestamp is %timestamp%.
	KindTimestamp
	// KindTTL is %ttl%.
	KindTTL
	// KindLastError is %last_error% (optionally with a lambda).
	KindLastError
	// KindError is :error: (optionally with a lambda).
	KindError
	// KindLiteral is a quoted string literal (Str holds its raw text).
	KindLiteral
	// KindInt is an integer number literal (Int).
	KindInt
	// KindFloat is a float number literal (Float).
	KindFloat
	// KindBool is true or false (Bool).
	KindBool
	// KindEmptyArray is [].
	KindEmptyArray
	// KindScalar is a scalar variable (Name, optional Lambda).
	KindScalar
	// KindCanonStream is a canon stream #$name or #name (optional Lambda).
	KindCanonStream
	// KindCanonStreamMap is a canon stream map #%name (optional Lambda).
	KindCanonStreamMap
	// KindStream is a stream $name.
	KindStream
	// KindStreamMap is a stream map %name.
	KindStreamMap
)

// Value is one operand of an instruction. Which fields are meaningful depends on Kind.
// Literals and variables share Name, and integers and floats share Int, which keeps a
// value at 48 bytes: a script's syntax tree holds thousands of them.
type Value struct {
	Kind ValueKind
	Bool bool // KindBool (next to Kind: the two share one word)
	// Name is a variable's full name, tag included ("x", "$s", "#$c", "%m", "#%m"), or
	// the text of a KindLiteral without its quotes (see Str).
	Name   string
	Int    int64   // KindInt; KindFloat: the float's IEEE 754 bits (see Float)
	Lambda *Lambda // optional lambda of a variable, :error: or %last_error%
	Pos    Pos     // byte offset of the value in the script
}

// Str returns the text of a KindLiteral, without its quotes.
func (v *Value) Str() string { return v.Name }

// Float returns the number of a KindFloat.
func (v *Value) Float() float64 { return math.Float64frombits(uint64(v.Int)) }

// FloatValue returns the KindFloat value of f at pos.
func FloatValue(f float64, pos Pos) Value {
	return Value{Kind: KindFloat, Int: int64(math.Float64bits(f)), Pos: pos}
}

// IsVariable reports whether v names a variable of any kind.
func (v Value) IsVariable() bool {
	switch v.Kind {
	case KindScalar, KindCanonStream, KindCanonStreamMap, KindStream, KindStreamMap:
		return true
	}
	return false
}

// Lambda is a value path (.$.a.[0]) or the .length functor applied to a value.
type Lambda struct {
	// Length is true for the .length functor; Accessors is then empty.
	Length bool
	// Accessors is the non-empty value path when Length is false.
	Accessors []Accessor
}

// AccessorKind tells which form an accessor in a value path has.
type AccessorKind uint8

// Accessor forms.
const (
	// ArrayAccess is [N].
	ArrayAccess AccessorKind = iota
	// FieldByName is .name.
	FieldByName
	// FieldByScalar is [scalar]: the scalar's value (string or integer) selects.
	FieldByScalar
)

// Accessor is one step of a value path.
type Accessor struct {
	Kind  AccessorKind
	Index uint32 // ArrayAccess
	Name  string // FieldByName: the field; FieldByScalar: the scalar's name
}

// Instruction is any AIR instruction.
type Instruction interface {
	// String prints the instruction as AquaVM prints it in error objects (`instruction` field).
	String() string
	instruction()
}

// Call is (call PEER (SERVICE FUNCTION) [ARGS] OUTPUT?).
type Call struct {
	Peer     Value   // KindInitPeerID, KindLiteral, KindScalar, KindCanonStream(+lambda), KindCanonStreamMap(+lambda)
	Service  Value   // KindLiteral or a variable
	Function Value   // KindLiteral or a variable
	Args     []Value // values
	Output   Value   // KindNone, KindScalar or KindStream
}

// Ap is (ap ARG RESULT) with a scalar or stream result.
type Ap struct {
	Arg    Value
	Result Value // KindScalar or KindStream
}

// ApMap is (ap (KEY VALUE) %map).
type ApMap struct {
	Key   Value // KindLiteral, KindInt, KindScalar(+lambda), KindCanonStream+lambda
	Value Value
	Map   Value // KindStreamMap
}

// Canon is (canon PEER $stream #$canon).
type Canon struct {
	Peer   Value
	Stream Value // KindStream
	Canon  Value // KindCanonStream
}

// CanonMap is (canon PEER %map #%canon).
type CanonMap struct {
	Peer      Value
	StreamMap Value // KindStreamMap
	CanonMap  Value // KindCanonStreamMap
}

// CanonMapScalar is (canon PEER %map scalar).
type CanonMapScalar struct {
	Peer      Value
	StreamMap Value // KindStreamMap
	Scalar    Value // KindScalar
}

// Seq is (seq A B).
type Seq struct{ Left, Right Instruction }

// Par is (par A B).
type Par struct{ Left, Right Instruction }

// Xor is (xor A B).
type Xor struct{ Left, Right Instruction }

// Match is (match L R body).
type Match struct {
	Left, Right Value
	Body        Instruction
}

// Mismatch is (mismatch L R body).
type Mismatch struct {
	Left, Right Value
	Body        Instruction
}

// FailKind tells which form a fail instruction has.
type FailKind uint8

// Fail forms.
const (
	// FailScalar is (fail x) or (fail x.$.path): Value holds the scalar.
	FailScalar FailKind = iota
	// FailLiteral is (fail CODE "message").
	FailLiteral
	// FailCanonStream is (fail #$c.$.path): Value holds the canon stream with lambda.
	FailCanonStream
	// FailLastError is (fail %last_error%).
	FailLastError
	// FailError is (fail :error:).
	FailError
)

// Fail is (fail ...).
type Fail struct {
	Kind    FailKind
	Value   Value  // FailScalar, FailCanonStream
	RetCode int64  // FailLiteral
	Message string // FailLiteral
}

// FoldKind tells what a fold iterates over.
type FoldKind uint8

// Fold kinds.
const (
	// FoldScalar iterates a scalar (array), scalar with lambda, canon stream, canon map or [].
	FoldScalar FoldKind = iota
	// FoldStream iterates a stream.
	FoldStream
	// FoldStreamMap iterates a stream map.
	FoldStreamMap
)

// Fold is (fold ITERABLE i body last?).
type Fold struct {
	Kind     FoldKind
	Iterable Value
	Iterator string
	Body     Instruction
	Last     Instruction // nil when absent
	Span     Span
}

// Next is (next i).
type Next struct{ Iterator string }

// New is (new X body).
type New struct {
	Arg  Value // KindScalar, KindStream, KindStreamMap, KindCanonStream, KindCanonStreamMap
	Body Instruction
	Span Span
}

// Null is (null).
type Null struct{}

// Never is (never).
type Never struct{}

func (*Call) instruction()           {}
func (*Ap) instruction()             {}
func (*ApMap) instruction()          {}
func (*Canon) instruction()          {}
func (*CanonMap) instruction()       {}
func (*CanonMapScalar) instruction() {}
func (*Seq) instruction()            {}
func (*Par) instruction()            {}
func (*Xor) instruction()            {}
func (*Match) instruction()          {}
func (*Mismatch) instruction()       {}
func (*Fail) instruction()           {}
func (*Fold) instruction()           {}
func (*Next) instruction()           {}
func (*New) instruction()            {}
func (*Null) instruction()           {}
func (*Never) instruction()          {}
