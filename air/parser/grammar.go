package parser

import "sync"

// AIR terminals, in the order AquaVM lists them in "expected ..." messages.
const (
	tOpenParen = iota
	tCloseParen
	tOpenSquare
	tCloseSquare
	tBoolean
	tCanonStream
	tCanonStreamMap
	tCanonStreamMapWithLambda
	tCanonStreamWithLambda
	tError
	tErrorWithLambda
	tF64
	tI64
	tInitPeerID
	tLastError
	tLastErrorWithLambda
	tLiteral
	tScalar
	tScalarWithLambda
	tStream
	tStreamMap
	tTTL
	tTimestamp
	tAp
	tCall
	tCanon
	tFail
	tFold
	tMatch
	tMismatch
	tNever
	tNew
	tNext
	tNull
	tPar
	tSeq
	tXor
	numAirTerminals

	// Tokens the lexer produces but no grammar rule accepts (a stream or stream map
	// with a lambda): the parser stops at them with an "expected" error.
	tStreamWithLambda    = -1
	tStreamMapWithLambda = -2
)

var airTerminalNames = []string{
	`"("`, `")"`, `"["`, `"]"`, "Boolean", "CanonStream", "CanonStreamMap",
	"CanonStreamMapWithLambda", "CanonStreamWithLambda", "Error", "ErrorWithLambda", "F64",
	"I64", "InitPeerId", "LastError", "LastErrorWithLambda", "Literal", "Scalar",
	"ScalarWithLambda", "Stream", "StreamMap", "TTL", "Timestamp", "ap", "call", "canon",
	"fail", "fold", "match_", "mismatch", "never", "new", "next", "null", "par", "seq", "xor",
}

// Semantic actions of the AIR grammar.
const (
	aPass              = iota // the value of the single right-hand symbol
	aEmptyArray               // "[" "]" as a value
	aArgsEmpty                // "[" "]" as call arguments
	aArgsList                 // "[" Arg+ "]"
	aArgFirst                 // Arg+ = Arg
	aArgNext                  // Arg+ = Arg+ Arg
	aNumberInt                // I64 as a number value
	aTriplet                  // PeerId "(" ServiceId Function ")"
	aFailScalar               // fail body: scalar (with or without lambda)
	aFailLiteral              // fail body: I64 Literal
	aFailCanon                // fail body: canon stream with lambda
	aFailLastError            // fail body: %last_error%
	aFailError                // fail body: :error:
	aCall                     // call with output
	aCallNoOutput             // call without output
	aCanon                    // canon stream
	aCanonMap                 // canon stream map
	aCanonMapScalar           // canon stream map into a scalar
	aAp                       // ap
	aApMap                    // ap to a stream map
	aSeq                      // seq
	aPar                      // par
	aXor                      // xor
	aNever                    // never
	aNull                     // null
	aNew                      // new
	aFail                     // fail
	aFoldScalar               // fold over a scalar-like iterable, no last instruction
	aFoldScalarLast           // fold over a scalar-like iterable with a last instruction
	aFoldStream               // fold over a stream
	aFoldStreamLast           // fold over a stream with a last instruction
	aFoldStreamMap            // fold over a stream map
	aFoldStreamMapLast        // fold over a stream map with a last instruction
	aNext                     // next
	aMatch                    // match
	aMismatch                 // mismatch
	aInstrError               // error recovery placeholder
)

// airRules is AquaVM's AIR grammar after LALRPOP's expansion of macros and inlining of
// optional symbols (the automaton is built from exactly these productions, so that its
// states, and with them the error messages and the error recovery, are AquaVM's).
var airRules = []grammarRule{
	{"AIR", "Instr", aPass},

	{"Instr", `"(" call Triplet Args CallOutput ")"`, aCall},
	{"Instr", `"(" call Triplet Args ")"`, aCallNoOutput},
	{"Instr", `"(" canon ResolvableToPeerIdVariable StreamArgument CanonStreamArgument ")"`, aCanon},
	{"Instr", `"(" canon ResolvableToPeerIdVariable StreamMapArgument CanonStreamMapArgument ")"`, aCanonMap},
	{"Instr", `"(" canon ResolvableToPeerIdVariable StreamMapArgument Scalar ")"`, aCanonMapScalar},
	{"Instr", `"(" ap ApArgument ApResult ")"`, aAp},
	{"Instr", `"(" ap "(" StreamMapKeyClause ApArgument ")" StreamMap ")"`, aApMap},
	{"Instr", `"(" seq Instr Instr ")"`, aSeq},
	{"Instr", `"(" par Instr Instr ")"`, aPar},
	{"Instr", `"(" never ")"`, aNever},
	{"Instr", `"(" null ")"`, aNull},
	{"Instr", `"(" new NewArgument Instr ")"`, aNew},
	{"Instr", `"(" fail FailBody ")"`, aFail},
	{"Instr", `"(" fold FoldScalarIterable Scalar Instr Instr ")"`, aFoldScalarLast},
	{"Instr", `"(" fold FoldScalarIterable Scalar Instr ")"`, aFoldScalar},
	{"Instr", `"(" fold Stream Scalar Instr Instr ")"`, aFoldStreamLast},
	{"Instr", `"(" fold Stream Scalar Instr ")"`, aFoldStream},
	{"Instr", `"(" fold StreamMap Scalar Instr Instr ")"`, aFoldStreamMapLast},
	{"Instr", `"(" fold StreamMap Scalar Instr ")"`, aFoldStreamMap},
	{"Instr", `"(" next Scalar ")"`, aNext},
	{"Instr", `"(" xor Instr Instr ")"`, aXor},
	{"Instr", `"(" match_ Value Value Instr ")"`, aMatch},
	{"Instr", `"(" mismatch Value Value Instr ")"`, aMismatch},
	{"Instr", "error", aInstrError},

	{"Args", `"[" "]"`, aArgsEmpty},
	{"Args", `"[" ArgPlus "]"`, aArgsList},
	{"ArgPlus", "Arg", aArgFirst},
	{"ArgPlus", "ArgPlus Arg", aArgNext},
	{"Arg", "Value", aPass},

	{"Triplet", `PeerId "(" ServiceId Function ")"`, aTriplet},

	{"ApResult", "Scalar", aPass},
	{"ApResult", "Stream", aPass},

	{"StreamMapKeyClause", "Literal", aPass},
	{"StreamMapKeyClause", "I64", aNumberInt},
	{"StreamMapKeyClause", "Scalar", aPass},
	{"StreamMapKeyClause", "ScalarWithLambda", aPass},
	{"StreamMapKeyClause", "CanonStreamWithLambda", aPass},

	{"CallOutput", "Scalar", aPass},
	{"CallOutput", "Stream", aPass},

	{"FailBody", "Scalar", aFailScalar},
	{"FailBody", "ScalarWithLambda", aFailScalar},
	{"FailBody", "I64 Literal", aFailLiteral},
	{"FailBody", "CanonStreamWithLambda", aFailCanon},
	{"FailBody", "LastError", aFailLastError},
	{"FailBody", "Error", aFailError},

	{"FoldScalarIterable", "Scalar", aPass},
	{"FoldScalarIterable", "ScalarWithLambda", aPass},
	{"FoldScalarIterable", "CanonStream", aPass},
	{"FoldScalarIterable", "CanonStreamMap", aPass},
	{"FoldScalarIterable", "CanonStreamMapWithLambda", aPass},
	{"FoldScalarIterable", `"[" "]"`, aEmptyArray},

	{"PeerId", "ResolvableToPeerIdVariable", aPass},
	{"Function", "ResolvableToStringVariable", aPass},
	{"ServiceId", "ResolvableToStringVariable", aPass},

	{"ResolvableToPeerIdVariable", "InitPeerId", aPass},
	{"ResolvableToPeerIdVariable", "Literal", aPass},
	{"ResolvableToPeerIdVariable", "Scalar", aPass},
	{"ResolvableToPeerIdVariable", "ScalarWithLambda", aPass},
	{"ResolvableToPeerIdVariable", "CanonStreamWithLambda", aPass},
	{"ResolvableToPeerIdVariable", "CanonStreamMapWithLambda", aPass},

	{"ResolvableToStringVariable", "Literal", aPass},
	{"ResolvableToStringVariable", "Scalar", aPass},
	{"ResolvableToStringVariable", "ScalarWithLambda", aPass},
	{"ResolvableToStringVariable", "CanonStreamWithLambda", aPass},
	{"ResolvableToStringVariable", "CanonStreamMapWithLambda", aPass},

	{"NewArgument", "Scalar", aPass},
	{"NewArgument", "Stream", aPass},
	{"NewArgument", "StreamMap", aPass},
	{"NewArgument", "CanonStream", aPass},
	{"NewArgument", "CanonStreamMap", aPass},

	{"Number", "I64", aNumberInt},
	{"Number", "F64", aPass},

	{"Value", "InitPeerId", aPass},
	{"Value", "LastError", aPass},
	{"Value", "LastErrorWithLambda", aPass},
	{"Value", "Error", aPass},
	{"Value", "ErrorWithLambda", aPass},
	{"Value", "Literal", aPass},
	{"Value", "Timestamp", aPass},
	{"Value", "TTL", aPass},
	{"Value", "Number", aPass},
	{"Value", "Boolean", aPass},
	{"Value", `"[" "]"`, aEmptyArray},
	{"Value", "Scalar", aPass},
	{"Value", "ScalarWithLambda", aPass},
	{"Value", "CanonStream", aPass},
	{"Value", "CanonStreamWithLambda", aPass},
	{"Value", "CanonStreamMap", aPass},
	{"Value", "CanonStreamMapWithLambda", aPass},

	{"ApArgument", "InitPeerId", aPass},
	{"ApArgument", "LastError", aPass},
	{"ApArgument", "LastErrorWithLambda", aPass},
	{"ApArgument", "Error", aPass},
	{"ApArgument", "ErrorWithLambda", aPass},
	{"ApArgument", "Timestamp", aPass},
	{"ApArgument", "TTL", aPass},
	{"ApArgument", "Literal", aPass},
	{"ApArgument", "Number", aPass},
	{"ApArgument", "Boolean", aPass},
	{"ApArgument", `"[" "]"`, aEmptyArray},
	{"ApArgument", "Scalar", aPass},
	{"ApArgument", "ScalarWithLambda", aPass},
	{"ApArgument", "CanonStream", aPass},
	{"ApArgument", "CanonStreamWithLambda", aPass},
	{"ApArgument", "CanonStreamMapWithLambda", aPass},

	{"StreamArgument", "Stream", aPass},
	{"StreamMapArgument", "StreamMap", aPass},
	{"CanonStreamArgument", "CanonStream", aPass},
	{"CanonStreamMapArgument", "CanonStreamMap", aPass},
}

// Lambda terminals, in the order AquaVM lists them.
const (
	ltBang = iota
	ltDot
	ltValuePathStarter
	ltOpenSquare
	ltCloseSquare
	ltLength
	ltNumber
	ltString
	numLambdaTerminals
)

var lambdaTerminalNames = []string{
	`"!"`, `"."`, `".$"`, `"["`, `"]"`, "length_functor", "number_accessor", "string_accessor",
}

// Semantic actions of the lambda grammar.
const (
	laEmptyPath     = iota // ".$" alone
	laPath                 // ".$" accessors
	laLength               // .length
	laRawError             // error recovery placeholder for the whole lambda
	laIndex                // [N]
	laByScalar             // [name]
	laField                // .name
	laAccessorError        // error recovery placeholder for one accessor
	laFirst                // accessors = accessor
	laNext                 // accessors = accessors accessor
)

// lambdaRules is AquaVM's lambda grammar after LALRPOP's expansion.
var lambdaRules = []grammarRule{
	{"RawLambdaAST", `".$"`, laEmptyPath},
	{"RawLambdaAST", `".$" AccessorPlus`, laPath},
	{"RawLambdaAST", "length_functor", laLength},
	{"RawLambdaAST", "error", laRawError},

	{"ValueAccessor", `"." "[" number_accessor "]" "!"`, laIndex},
	{"ValueAccessor", `"[" number_accessor "]" "!"`, laIndex},
	{"ValueAccessor", `"." "[" number_accessor "]"`, laIndex},
	{"ValueAccessor", `"[" number_accessor "]"`, laIndex},
	{"ValueAccessor", `"." "[" string_accessor "]" "!"`, laByScalar},
	{"ValueAccessor", `"[" string_accessor "]" "!"`, laByScalar},
	{"ValueAccessor", `"." "[" string_accessor "]"`, laByScalar},
	{"ValueAccessor", `"[" string_accessor "]"`, laByScalar},
	{"ValueAccessor", `"." string_accessor "!"`, laField},
	{"ValueAccessor", `"." string_accessor`, laField},
	{"ValueAccessor", "error", laAccessorError},

	{"AccessorPlus", "ValueAccessor", laFirst},
	{"AccessorPlus", "AccessorPlus ValueAccessor", laNext},
}

var (
	tablesOnce   sync.Once
	airTables    *lrTables
	lambdaTables *lrTables
)

func loadTables() {
	tablesOnce.Do(func() {
		airTables = buildLALR(airTerminalNames, airRules)
		lambdaTables = buildLALR(lambdaTerminalNames, lambdaRules)
	})
}
