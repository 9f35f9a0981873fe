package air

import (
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/value"
)

// Default limits, as AquaVM defines them.
const (
	// DefaultAirSizeLimit is the largest script accepted (16 MiB).
	DefaultAirSizeLimit = 16 << 20
	// DefaultParticleSizeLimit is the largest current data accepted (64 MiB).
	DefaultParticleSizeLimit = 64 << 20
	// DefaultCallResultSizeLimit is the largest single call result accepted (32 MiB).
	DefaultCallResultSizeLimit = 32 << 20
)

// RunParameters are the particle and peer facts one invocation runs with.
type RunParameters struct {
	InitPeerID    string
	CurrentPeerID string
	Timestamp     uint64 // ms since the epoch
	TTL           uint32 // ms
	KeyFormat     uint8  // 0 = Ed25519, the only accepted format
	SecretKey     []byte // 32-byte Ed25519 seed of the current peer
	ParticleID    string

	AirSizeLimit        uint64
	ParticleSizeLimit   uint64
	CallResultSizeLimit uint64
	HardLimitEnabled    bool
}

// CallResult is a service's answer to a call request: RetCode 0 and a JSON text on success.
type CallResult struct {
	RetCode int32
	Result  string
}

// CallResults maps call request ids to the answers the host collected.
type CallResults map[uint32]CallResult

// CallRequest asks the host to call a service on the current peer.
type CallRequest struct {
	ID           uint32
	ServiceID    string
	FunctionName string
	Arguments    []value.Value
	// Tetraplets holds, per argument, the tetraplets of that argument's value(s).
	Tetraplets [][]data.Tetraplet
}

// Outcome is the result of one interpreter invocation.
type Outcome struct {
	RetCode      int64
	ErrorMessage string
	Data         []byte
	NextPeerPKs  []string
	CallRequests []CallRequest // ascending by ID

	AirSizeLimitExceeded        bool
	ParticleSizeLimitExceeded   bool
	CallResultSizeLimitExceeded bool
}
