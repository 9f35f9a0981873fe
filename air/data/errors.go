package data

import (
	"fmt"

	"github.com/cascadep2p/cascade/air/internal/rustfmt"
)

// ErrorKind tells which layer of the interpreter data failed to decode.
type ErrorKind uint8

// Decode failure kinds.
const (
	// KindEnvelope is a failure of the MessagePack envelope (AquaVM ret_code 3, or 4 when
	// the versions could still be read).
	KindEnvelope ErrorKind = iota + 1
	// KindArchive is a failure of the rkyv archive inside the envelope (AquaVM ret_code 2).
	KindArchive
	// KindLimit means the data exceeds the caller's Limits; AquaVM has no such check.
	KindLimit
)

// String names the kind.
func (k ErrorKind) String() string {
	switch k {
	case KindEnvelope:
		return "envelope"
	case KindArchive:
		return "archive"
	case KindLimit:
		return "limit"
	}
	return fmt.Sprintf("ErrorKind(%d)", uint8(k))
}

// Return codes AquaVM uses for data preparation failures.
const (
	// RetCodeDataDeFailed is AquaVM's DataDeFailed: the archive is invalid.
	RetCodeDataDeFailed = 2
	// RetCodeEnvelopeDeFailed is AquaVM's EnvelopeDeFailed: the envelope is invalid.
	RetCodeEnvelopeDeFailed = 3
	// RetCodeEnvelopeDeFailedWithVersions is AquaVM's EnvelopeDeFailedWithVersions: the
	// envelope is invalid but its two versions could be read.
	RetCodeEnvelopeDeFailedWithVersions = 4
	// RetCodeUnsupportedVersion is AquaVM's UnsupportedInterpreterVersion for current data.
	RetCodeUnsupportedVersion = 6
)

// DecodeError is the error of every decoding function of this package. Its Kind tells
// envelope from archive failures; HasVersions reports whether the envelope versions could
// be read although the envelope as a whole was rejected (AquaVM's ret_code 4 case).
type DecodeError struct {
	Kind ErrorKind
	// HasVersions is set when Version and InterpreterVersion were read from a rejected envelope.
	HasVersions        bool
	Version            string
	InterpreterVersion string
	// Msg is the human-readable cause, as to_human_readable_data prints it after its prefix.
	Msg string
	// debug is the cause rendered like the Rust Debug output AquaVM puts in its messages.
	debug string
}

// Error returns a one-line description of the failure.
func (e *DecodeError) Error() string {
	switch e.Kind {
	case KindEnvelope:
		return "interpreter data envelope: " + e.Msg
	case KindArchive:
		return "interpreter data archive: " + e.Msg
	default:
		return "interpreter data: " + e.Msg
	}
}

// RetCode returns the ret_code AquaVM 0.62 ends the run with for this failure:
// 3 or 4 for an envelope, 2 for an archive (and, by convention, for a limit).
func (e *DecodeError) RetCode() int {
	switch e.Kind {
	case KindEnvelope:
		if e.HasVersions {
			return RetCodeEnvelopeDeFailedWithVersions
		}
		return RetCodeEnvelopeDeFailed
	default:
		return RetCodeDataDeFailed
	}
}

// AVMMessage returns the error_message AquaVM 0.62 produces for this failure. Envelope
// messages are byte-identical to AquaVM's; archive messages keep AquaVM's frame but the
// inner rkyv detail (which contains Wasm memory addresses there) is Cascade's own.
func (e *DecodeError) AVMMessage() string {
	switch {
	case e.Kind == KindEnvelope && e.HasVersions:
		return "an error occurred while data deserialization: Envelope(" + e.debug + ").\n" +
			"AquaVM's version is " + InterpreterVersion + " and it expects data of " + FormatVersion + " version.\n" +
			"Supplied data version is " + e.Version + ", it's produced by AquaVM of " + e.InterpreterVersion + " version."
	case e.Kind == KindEnvelope:
		return "an error occurred while envelope deserialization: Envelope(" + e.debug + ").\n" +
			"AquaVM version is " + InterpreterVersion + " and it expects " + FormatVersion + " version."
	default:
		return "an error occurred while data deserialization: Data(Validation(" + e.debug + ")).\n" +
			"AquaVM version is " + InterpreterVersion + " and it expects " + FormatVersion + " version."
	}
}

// HumanMessage returns the text to_human_readable_data returns for this failure.
func (e *DecodeError) HumanMessage() string {
	if e.Kind == KindEnvelope {
		return "failed to deserialize envelope: " + e.Msg
	}
	return "failed to deserialize data: " + e.Msg
}

// VersionError reports current data written by an interpreter older than
// MinInterpreterVersion (AquaVM's ret_code 6).
type VersionError struct {
	// Actual is the interpreter_version of the rejected data.
	Actual string
}

// Error returns AquaVM's exact message for this failure.
func (e *VersionError) Error() string {
	return "supplied data was produced by `" + e.Actual + "` version of interpreter, but minimum `" +
		MinInterpreterVersion + "` version is required"
}

// RetCode returns AquaVM's ret_code for this failure, 6.
func (e *VersionError) RetCode() int { return RetCodeUnsupportedVersion }

// envErr is a failure of the envelope reader: the Display and Debug renderings of the
// rmp_serde error AquaVM would produce.
type envErr struct {
	display, debug string
}

func (e *envErr) Error() string { return e.display }

var (
	errMarkerEOF = &envErr{
		display: "IO error while reading marker: failed to fill whole buffer",
		debug:   `InvalidMarkerRead(Error { kind: UnexpectedEof, message: "failed to fill whole buffer" })`,
	}
	errNumberEOF = &envErr{
		display: "IO error while reading data: failed to fill whole buffer",
		debug:   `InvalidDataRead(Error { kind: UnexpectedEof, message: "failed to fill whole buffer" })`,
	}
	errPayloadEOF = &envErr{
		display: "IO error while reading data: unexpected end of file",
		debug:   `InvalidDataRead(Kind(UnexpectedEof))`,
	}
	errReserved = &envErr{
		display: "wrong msgpack marker Reserved",
		debug:   `TypeMismatch(Reserved)`,
	}
	errDepth = &envErr{
		display: "depth limit exceeded",
		debug:   `DepthLimitExceeded`,
	}
)

// syntaxErr is rmp_serde's Syntax(msg) error, what serde's custom errors become.
func syntaxErr(msg string) *envErr {
	return &envErr{display: msg, debug: "Syntax(" + rustfmt.DebugStr(msg) + ")"}
}
