package air

import (
	"fmt"

	"github.com/cascadep2p/cascade/air/value"
)

// Error code ranges, as AquaVM numbers them.
const (
	// CodeSuccess is the return code of a run that finished without error.
	CodeSuccess = 0
	// Preparation errors (before execution): data is returned unchanged.
	CodeAIRParseError                = 1
	CodeDataDeFailed                 = 2
	CodeEnvelopeDeFailed             = 3
	CodeEnvelopeDeFailedWithVersions = 4
	CodeCallResultsDeFailed          = 5
	CodeUnsupportedInterpreterVer    = 6
	CodeMalformedKeyPairData         = 7
	CodeCidStoreVerificationError    = 8
	CodeDataSignatureCheckError      = 9
	CodeSizeLimitsExceeded           = 10

	// Catchable errors.
	CodeLocalServiceError                 = 10000
	CodeMatchValuesNotEqual               = 10001
	CodeMismatchValuesEqual               = 10002
	CodeVariableNotFound                  = 10003
	CodeIncompatibleJValueType            = 10004
	CodeFoldIteratesOverNonArray          = 10005
	CodeUserError                         = 10006
	CodeLambdaApplierError                = 10007
	CodeInvalidErrorObjectError           = 10008
	CodeVariableWasNotInitializedAfterNew = 10009
	CodeLengthFunctorAppliedToNotArray    = 10010
	CodeNonStringValueInTripletResolution = 10011
	CodeStreamMapError                    = 10012

	// Uncatchable errors.
	CodeTraceError                      = 20000
	CodeGenerationCompactificationError = 20001
	CodeIntConversionError              = 20002
	CodeFoldStateNotFound               = 20003
	CodeIterableShadowing               = 20004
	CodeMultipleIterableValues          = 20005
	CodeCallResultNotCorrespondToInstr  = 20006
	CodeShadowingIsNotAllowed           = 20007
	CodeScalarsStateCorrupted           = 20008
	CodeCidError                        = 20009
	CodeValueForCidNotFound             = 20010
	CodeStreamDontHaveSuchGeneration    = 20011
	CodeMalformedCallServiceFailed      = 20012
	CodeStreamSizeLimitExceeded         = 20013
	CodeStreamMapKeyError               = 20014
	CodeStreamMapErrorUncatchable       = 20015
	CodeCanonStreamMapError             = 20016
	CodeInstructionParametersMismatch   = 20017
	CodeSigningError                    = 20018

	// Farewell errors.
	CodeUnprocessedCallResult = 30000
)

// execError is an error raised while executing an instruction.
type execError struct {
	code      int64
	msg       string
	catchable bool
	// joinable marks VariableNotFound: the instruction waits for the variable instead of failing.
	joinable bool
}

func (e *execError) Error() string { return e.msg }

// affectsLastError tells whether the error may update %last_error%.
func (e *execError) affectsLastError() bool {
	return e.catchable && e.code != CodeMatchValuesNotEqual && e.code != CodeMismatchValuesEqual
}

func catchable(code int64, format string, args ...any) *execError {
	return &execError{code: code, msg: sprintf(format, args...), catchable: true}
}

func uncatchable(code int64, format string, args ...any) *execError {
	return &execError{code: code, msg: sprintf(format, args...)}
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// jv renders a value the way AquaVM's errors print JSON values.
func jv(v value.Value) string { return string(value.Marshal(v)) }

func errVariableNotFound(name string) *execError {
	e := catchable(CodeVariableNotFound, "variable with name '%s' wasn't defined during script execution", name)
	e.joinable = true
	return e
}

func errNotInitializedAfterNew(name string) *execError {
	return catchable(CodeVariableWasNotInitializedAfterNew, "variable with name '%s' was cleared by new and then wasn't set", name)
}

func errLocalService(retCode int32, msg string) *execError {
	return catchable(CodeLocalServiceError, "Local service error, ret_code is %d, error message is '%s'", retCode, msg)
}

func errLambda(format string, args ...any) *execError {
	return catchable(CodeLambdaApplierError, format, args...)
}

func errShadowing(name string) *execError {
	return uncatchable(CodeShadowingIsNotAllowed, "trying to shadow variable '%s', but shadowing is allowed only inside fold blocks", name)
}

func errIterableShadowing(name string) *execError {
	return uncatchable(CodeIterableShadowing, "variable with name '%s' can't be shadowed, shadowing isn't supported for iterables", name)
}

func errFoldStateNotFound(name string) *execError {
	return uncatchable(CodeFoldStateNotFound, "fold state not found for this iterable '%s'", name)
}

func errTrace(instr string, err error) *execError {
	return uncatchable(CodeTraceError, "on instruction '%s' trace handler encountered an error: %s", instr, err.Error())
}

func errValueForCidNotFound(kind, c string) *execError {
	return uncatchable(CodeValueForCidNotFound, "%s for CID %q not found", kind, c)
}

func errStreamSizeLimit() *execError {
	return uncatchable(CodeStreamSizeLimitExceeded, "stream size goes over the allowed limit of %d", streamMaxSize)
}

func errParamsMismatch(param, expected, stored string) *execError {
	return uncatchable(CodeInstructionParametersMismatch, "%s doesn't match expected parameters: expected %s, got %s ", param, expected, stored)
}
