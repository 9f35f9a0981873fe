package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/cascadep2p/cascade/air/sig"
)

// KeyPrefix is prepended to a peer's name to derive its default key seed.
const KeyPrefix = "air-oracle/"

// PeerKey is a simulated peer's identity.
type PeerKey struct {
	Name   string
	Seed   []byte // 32-byte ed25519 seed, the secret key handed to the interpreter
	PeerID string // libp2p form, 12D3KooW...
}

// PeerKeyOf derives a peer's key as the oracle does: the seed is seedHex decoded, or
// SHA-256 of "air-oracle/"+name when seedHex is empty.
func PeerKeyOf(name, seedHex string) (PeerKey, error) {
	var seed []byte
	if seedHex != "" {
		var err error
		if seed, err = hex.DecodeString(seedHex); err != nil {
			return PeerKey{}, fmt.Errorf("seed for peer %s: %w", name, err)
		}
	} else {
		h := sha256.Sum256([]byte(KeyPrefix + name))
		seed = h[:]
	}
	if len(seed) != sig.SeedSize {
		return PeerKey{}, fmt.Errorf("seed for peer %s must be 32 bytes", name)
	}
	kp, err := sig.NewKeyPair(seed)
	if err != nil {
		return PeerKey{}, fmt.Errorf("seed for peer %s: %w", name, err)
	}
	return PeerKey{Name: name, Seed: seed, PeerID: kp.PeerID()}, nil
}
