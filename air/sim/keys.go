package sim

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
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
	if len(seed) != ed25519.SeedSize {
		return PeerKey{}, fmt.Errorf("seed for peer %s must be 32 bytes", name)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	// identity multihash (0x00, length 36) of the protobuf PublicKey {Type: Ed25519, Data: pub}
	id := append([]byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, pub...)
	return PeerKey{Name: name, Seed: seed, PeerID: base58(id)}, nil
}

const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	m := new(big.Int)
	radix := big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, radix, m)
		out = append(out, b58[m.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
