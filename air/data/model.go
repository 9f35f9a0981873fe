// Package data holds the interpreter data model of AquaVM 0.62 (data format 0.17.2) and
// its codec: the MessagePack envelope around an rkyv 0.7 archive that travels in particles,
// and the JSON view AquaVM's to_human_readable_data prints.
package data

// Versions written into every envelope, as the real interpreter writes them.
const (
	// FormatVersion is the data format version (the envelope's "version").
	FormatVersion = "0.17.2"
	// InterpreterVersion is the interpreter version written into the envelope.
	InterpreterVersion = "0.62.0"
	// MinInterpreterVersion is the oldest interpreter version whose current data is accepted.
	MinInterpreterVersion = "0.61.0"
)

// StateKind tells the variant of an executed state.
type StateKind uint8

// ExecutedState variants, numbered as their rkyv tags.
const (
	StatePar StateKind = iota
	StateCall
	StateFold
	StateAp
	StateCanon
)

// CallKind tells the variant of a call result.
type CallKind uint8

// CallResult variants, numbered as their rkyv tags.
const (
	CallSentBy CallKind = iota
	CallExecuted
	CallFailed
)

// ValueKind tells the variant of an executed call's value reference.
type ValueKind uint8

// ValueRef variants, numbered as their rkyv tags.
const (
	ValueScalar ValueKind = iota
	ValueStream
	ValueUnused
)

// State is one entry of the execution trace. Only the fields of its Kind are meaningful.
type State struct {
	Kind StateKind

	// StatePar: sizes of the left and right subtraces that follow the par state.
	Left, Right uint32

	// StateCall.
	Call CallResult

	// StateFold: one lore entry per iterated value.
	Lore []FoldLore

	// StateAp: the generations the ap wrote to (exactly one in practice).
	Gens []uint32

	// StateCanon.
	Canon CanonResult
}

// CallResult is the recorded outcome of a call instruction.
type CallResult struct {
	Kind CallKind
	// CallSentBy: the requesting peer; WithCallID tells PeerIdWithCallId from PeerId.
	SenderPeer string
	CallID     uint32
	WithCallID bool
	// CallExecuted.
	Value ValueRef
	// CallFailed: CID of the service-result aggregate.
	FailedCID string
}

// ValueRef points at the value an executed call produced.
type ValueRef struct {
	Kind ValueKind
	// CID: service-result aggregate CID (scalar, stream) or the value's own CID (unused).
	CID string
	// Generation: stream generation (ValueStream only).
	Generation uint32
}

// FoldLore describes one iteration of a stream fold: the trace position of the state
// that produced the value, and the subtraces before and after next.
type FoldLore struct {
	ValuePos uint32
	Desc     []SubTraceDesc
}

// SubTraceDesc is a [BeginPos, BeginPos+Len) range of the trace.
type SubTraceDesc struct {
	BeginPos uint32
	Len      uint32
}

// CanonResult is the recorded outcome of a canon instruction.
type CanonResult struct {
	// Executed tells Executed (CID set) from RequestSentBy (PeerID set).
	Executed bool
	PeerID   string
	CID      string
}

// Tetraplet is a security tetraplet: who produced a value and how it was selected.
type Tetraplet struct {
	PeerPK       string `json:"peer_pk"`
	ServiceID    string `json:"service_id"`
	FunctionName string `json:"function_name"`
	Lens         string `json:"lens"`
}

// ProvenanceKind tells where a canon element came from.
type ProvenanceKind uint8

// Provenance variants, numbered as their rkyv tags.
const (
	ProvenanceLiteral ProvenanceKind = iota
	ProvenanceServiceResult
	ProvenanceCanon
)

// Provenance is the origin of a canon element; CID is empty for literals.
type Provenance struct {
	Kind ProvenanceKind
	CID  string
}

// CanonElement is an entry of the canon element store.
type CanonElement struct {
	Value      string // CID in the value store
	Tetraplet  string // CID in the tetraplet store
	Provenance Provenance
}

// CanonResultAgg is an entry of the canon result store.
type CanonResultAgg struct {
	Tetraplet string   // CID in the tetraplet store
	Values    []string // CIDs in the canon element store
}

// ServiceResultAgg is an entry of the service result store.
type ServiceResultAgg struct {
	ValueCID     string // CID in the value store
	ArgumentHash string // CID of the JSON array of call arguments
	TetrapletCID string // CID in the tetraplet store
}

// CidInfo holds the five content-addressed stores.
type CidInfo struct {
	ValueStore         map[string]string // CID -> raw compact JSON text
	TetrapletStore     map[string]Tetraplet
	CanonElementStore  map[string]CanonElement
	CanonResultStore   map[string]CanonResultAgg
	ServiceResultStore map[string]ServiceResultAgg
}

// Data is the whole interpreter data of one particle on one peer.
type Data struct {
	Trace             []State
	LastCallRequestID uint32
	CidInfo           CidInfo
	// Signatures maps a raw public key (0x00 ‖ 32-byte ed25519 key) to a raw signature
	// (0x00 ‖ 64 bytes), both held as Go strings of bytes.
	Signatures map[string]string

	// Versions from the envelope this data was decoded from (empty for new data).
	Version            string
	InterpreterVersion string
}

// New returns empty data with all maps allocated.
func New() *Data {
	return &Data{
		CidInfo: CidInfo{
			ValueStore:         map[string]string{},
			TetrapletStore:     map[string]Tetraplet{},
			CanonElementStore:  map[string]CanonElement{},
			CanonResultStore:   map[string]CanonResultAgg{},
			ServiceResultStore: map[string]ServiceResultAgg{},
		},
		Signatures: map[string]string{},
	}
}
