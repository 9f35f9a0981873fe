// Package sig holds the Ed25519 keys and the per-peer signatures AquaVM puts into
// interpreter data. Every peer that produced call or canon results in a particle's
// trace signs, with its Ed25519 key, the Borsh encoding of the sorted list of those
// results' CIDs followed by the particle id; the data keeps a map from the peer's
// public key to that signature.
//
// Keys and signatures travel with a one-byte key-type prefix, as the fluence-keypair
// crate encodes them: a public key is 0x00 ‖ 32 bytes, a signature 0x00 ‖ 64 bytes.
package sig

import (
	"crypto/ed25519"
	"crypto/subtle"
	"encoding/binary"
	"slices"
	"sync/atomic"

	"github.com/cascadep2p/cascade/air/internal/keysort"
)

// Key type bytes of the fluence-keypair encoding.
const (
	// KeyTypeEd25519 marks an Ed25519 key or signature, the only kind AquaVM accepts.
	KeyTypeEd25519 = 0
	// KeyTypeRSA marks RSA, which AquaVM's wasm32 build does not know at all.
	KeyTypeRSA = 1
	// KeyTypeSecp256k1 marks secp256k1, which AquaVM decodes but does not whitelist.
	KeyTypeSecp256k1 = 2
)

// Sizes of the encoded forms.
const (
	// SeedSize is the size of an Ed25519 secret seed.
	SeedSize = ed25519.SeedSize
	// PublicKeyRawSize is the size of an encoded public key: type byte and key.
	PublicKeyRawSize = 1 + ed25519.PublicKeySize
	// SignatureRawSize is the size of an encoded signature: type byte and signature.
	SignatureRawSize = 1 + ed25519.SignatureSize
)

// KeyPair is an Ed25519 key pair, the only kind AquaVM signs with.
type KeyPair struct {
	priv   ed25519.PrivateKey
	pkRaw  []byte
	peerID string
}

// lastKeyPair is the key pair NewKeyPair derived last. A peer passes the same seed on
// every invocation, and deriving the public key (a scalar multiplication) costs as much
// as the signature itself.
var lastKeyPair atomic.Pointer[KeyPair]

// NewKeyPair derives the key pair of a 32-byte Ed25519 seed (the secret key bytes
// AquaVM receives in its run parameters). Key pairs are immutable, so the result may be
// shared with other callers that pass the same seed.
func NewKeyPair(seed []byte) (*KeyPair, error) {
	if len(seed) != SeedSize {
		return nil, errInvalidLength
	}
	if k := lastKeyPair.Load(); k != nil && subtle.ConstantTimeCompare(k.priv[:SeedSize], seed) == 1 {
		return k, nil
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pkRaw := make([]byte, 0, PublicKeyRawSize)
	pkRaw = append(pkRaw, KeyTypeEd25519)
	pkRaw = append(pkRaw, priv[SeedSize:]...)
	k := &KeyPair{priv: priv, pkRaw: pkRaw, peerID: ed25519PeerID(priv[SeedSize:])}
	lastKeyPair.Store(k)
	return k, nil
}

// NewKeyPairFormat builds a key pair from AquaVM's run parameters: the key format
// byte and the secret key bytes. Like AquaVM (built for wasm32, where RSA does not
// exist), format 0 takes a 32-byte Ed25519 seed, a valid secp256k1 secret (format
// 2) is refused as not whitelisted, and any other format byte is an invalid type
// prefix. Errors are *KeyError.
func NewKeyPairFormat(format byte, secret []byte) (*KeyPair, error) {
	switch format {
	case KeyTypeEd25519:
		return NewKeyPair(secret)
	case KeyTypeSecp256k1:
		if !validSecp256k1Secret(secret) {
			return nil, errSecp256k1
		}
		return nil, errSecpNotAllowed
	}
	return nil, errInvalidTypeByte
}

// PublicKeyRaw returns the encoded public key, 0x00 ‖ 32-byte Ed25519 key, as
// stored in interpreter data. The caller must not modify it.
func (k *KeyPair) PublicKeyRaw() []byte { return k.pkRaw }

// PeerID returns the libp2p peer id of the key (base58btc, starting "12D3KooW").
func (k *KeyPair) PeerID() string { return k.peerID }

// Sign returns the encoded signature (0x00 ‖ 64 bytes) of Message(cids, particleID).
// cids is not modified.
func (k *KeyPair) Sign(cids []string, particleID string) []byte {
	s := ed25519.Sign(k.priv, Message(cids, particleID))
	return append([]byte{KeyTypeEd25519}, s...)
}

// Message returns the bytes a peer signs: the Borsh encoding of the pair (cids
// sorted byte-wise ascending with duplicates kept, particleID), that is
// u32le(n) ‖ n × (u32le(len) ‖ cid) ‖ u32le(len) ‖ particleID. cids is not modified.
func Message(cids []string, particleID string) []byte {
	size := 4 + 4 + len(particleID)
	for _, c := range cids {
		size += 4 + len(c)
	}
	sorted := cids
	if !slices.IsSorted(cids) {
		sorted = slices.Clone(cids)
		keysort.Strings(sorted)
	}
	msg := make([]byte, 0, size)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(sorted)))
	for _, c := range sorted {
		msg = binary.LittleEndian.AppendUint32(msg, uint32(len(c)))
		msg = append(msg, c...)
	}
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(particleID)))
	return append(msg, particleID...)
}
