package sig

import (
	"crypto/ed25519"
	"math/big"
	"strconv"
	"sync"

	"github.com/mr-tron/base58"
)

// KeyError reports a public or secret key AquaVM does not accept. Msg is the text
// of AquaVM's KeyError (air-interpreter-signatures), for example
// "signature algorithm Secp256k1 not whitelisted" or
// "invalid key data: Invalid type prefix".
type KeyError struct{ Msg string }

// Error returns AquaVM's text.
func (e *KeyError) Error() string { return e.Msg }

var (
	errInvalidTypeByte = &KeyError{Msg: "invalid key data: Invalid type prefix"}
	errInvalidLength   = &KeyError{Msg: "invalid key data: Failed to decode, invalid length: could not convert slice to array"}
	errBadPoint        = &KeyError{Msg: "invalid key data: Failed to decode with ed25519: signature error: Cannot decompress Edwards point"}
	errSecp256k1       = &KeyError{Msg: "invalid key data: Failed to decode with secp256k1"}
	errSecpNotAllowed  = &KeyError{Msg: "signature algorithm Secp256k1 not whitelisted"}
	// AquaVM indexes the type byte of an empty key and aborts; this package reports it instead.
	errEmptyKey = &KeyError{Msg: "invalid key data: empty key"}
)

// peerIDCache remembers the outcome of PeerIDFromPublicKeyRaw: validating a key
// costs a modular exponentiation, and the same few keys come with every particle.
var peerIDCache struct {
	sync.Mutex
	m map[string]peerIDResult
}

type peerIDResult struct {
	id  string
	err error
}

const peerIDCacheMax = 4096

// PeerIDFromPublicKeyRaw validates an encoded public key the way AquaVM validates
// the keys of a signature store and returns its libp2p peer id. Only Ed25519 keys
// (type byte 0, a 32-byte valid curve point) pass. AquaVM runs as wasm32, where the
// keypair crate has no RSA, so type byte 1, like any unknown byte, is an "Invalid
// type prefix"; a well-formed secp256k1 key is "not whitelisted". Errors are
// *KeyError with AquaVM's texts.
func PeerIDFromPublicKeyRaw(pk []byte) (string, error) {
	peerIDCache.Lock()
	r, ok := peerIDCache.m[string(pk)]
	peerIDCache.Unlock()
	if ok {
		return r.id, r.err
	}
	r.id, r.err = peerIDFromPublicKeyRaw(pk)
	peerIDCache.Lock()
	if peerIDCache.m == nil || len(peerIDCache.m) >= peerIDCacheMax {
		peerIDCache.m = make(map[string]peerIDResult)
	}
	peerIDCache.m[string(pk)] = r
	peerIDCache.Unlock()
	return r.id, r.err
}

func peerIDFromPublicKeyRaw(pk []byte) (string, error) {
	if len(pk) == 0 {
		return "", errEmptyKey
	}
	switch pk[0] {
	case KeyTypeEd25519:
		key := pk[1:]
		if len(key) != ed25519.PublicKeySize {
			return "", errInvalidLength
		}
		if !validEd25519Point(key) {
			return "", errBadPoint
		}
		return ed25519PeerID(key), nil
	case KeyTypeSecp256k1:
		if !validSecp256k1Compressed(pk[1:]) {
			return "", errSecp256k1
		}
		return "", errSecpNotAllowed
	}
	return "", errInvalidTypeByte
}

// ed25519PeerID is the libp2p peer id of an Ed25519 key: base58btc of the identity
// multihash (0x00, length 36) of the protobuf PublicKey {Type: Ed25519, Data: key}.
func ed25519PeerID(key []byte) string {
	var b [6 + ed25519.PublicKeySize]byte
	copy(b[:], []byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20})
	copy(b[6:], key)
	return base58.Encode(b[:])
}

// VerifyError reports a signature that does not verify. Its Error text is the
// Display of AquaVM's VerificationError; Debug gives the Rust {:?} form that
// AquaVM's "signature mismatch" message embeds.
type VerifyError struct {
	msg   string
	debug string
}

// Error returns AquaVM's Display text of the failure.
func (e *VerifyError) Error() string { return e.msg }

// Debug returns the failure as Rust's {:?} prints AquaVM's VerificationError, for
// example `Verification(Ed25519(signature::Error { source: Some(Verification
// equation was not satisfied) }, "<sig>", "<key>"))`.
func (e *VerifyError) Debug() string { return e.debug }

// Verify checks an encoded signature (sigRaw, type byte ‖ signature) by the
// encoded Ed25519 public key pkRaw over Message(cids, particleID). The key should
// have passed PeerIDFromPublicKeyRaw (AquaVM validates keys first); a key that is
// not a valid Ed25519 key yields a *KeyError. A signature whose type byte is 0 or
// 2 is checked as Ed25519 over the bytes after the type byte, as the keypair crate
// does; any other type byte, or a bad signature, yields a *VerifyError.
func Verify(pkRaw, sigRaw []byte, cids []string, particleID string) error {
	if _, err := PeerIDFromPublicKeyRaw(pkRaw); err != nil {
		return err
	}
	key := pkRaw[1:]
	if len(sigRaw) == 0 {
		return &VerifyError{msg: "incorrect signature: empty signature", debug: "InvalidSignature(Empty)"}
	}
	if t := sigRaw[0]; t != KeyTypeEd25519 && t != KeyTypeSecp256k1 {
		return &VerifyError{msg: "incorrect signature: Invalid type prefix", debug: "InvalidSignature(InvalidTypeByte)"}
	}
	s := sigRaw[1:]
	if len(s) == ed25519.SignatureSize && ed25519.Verify(key, Message(cids, particleID), s) {
		return nil
	}
	var source string // the ed25519-dalek error behind the failure
	switch {
	case len(s) != ed25519.SignatureSize:
		source = ""
	case !canonicalScalar(s[32:]):
		source = "Cannot use scalar with high-bit set"
	default:
		source = "Verification equation was not satisfied"
	}
	sigB58, keyB58 := base58.Encode(s), base58.Encode(key)
	display, debugSource := "signature error", "None"
	if source != "" {
		display += ": " + source
		debugSource = "Some(" + source + ")"
	}
	return &VerifyError{
		msg: "Failed to verify signature " + sigB58 + " with " + keyB58 + " ed25519 public key: " + display,
		debug: "Verification(Ed25519(signature::Error { source: " + debugSource + " }, " +
			strconv.Quote(sigB58) + ", " + strconv.Quote(keyB58) + "))",
	}
}

// Base58Encode encodes b in base58 with the Bitcoin alphabet, as AquaVM writes
// signature store keys and values in its JSON view.
func Base58Encode(b []byte) string { return base58.Encode(b) }

// Base58Decode decodes a base58 (Bitcoin alphabet) string; the empty string
// decodes to no bytes.
func Base58Decode(s string) ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	return base58.Decode(s)
}

// Curve arithmetic for key validation only, so math/big's speed is enough.
var (
	ed25519P = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	// ed25519D is -121665/121666 mod p.
	ed25519D = func() *big.Int {
		d := new(big.Int).ModInverse(big.NewInt(121666), ed25519P)
		d.Mul(d, big.NewInt(-121665))
		return d.Mod(d, ed25519P)
	}()
	// ed25519L is the order of the base point.
	ed25519L, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

	secpP, _ = new(big.Int).SetString("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16)
	secpN, _ = new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
)

// leInt reads a little-endian integer.
func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i, c := range b {
		be[len(b)-1-i] = c
	}
	return new(big.Int).SetBytes(be)
}

// validEd25519Point reports whether a 32-byte compressed Edwards point
// decompresses, with ed25519-dalek's rules: the sign bit is ignored for the test,
// y may be non-canonical, and the point is valid when (y²−1)/(d·y²+1) is a square.
func validEd25519Point(key []byte) bool {
	b := make([]byte, 32)
	copy(b, key)
	b[31] &= 0x7f
	y := leInt(b)
	y.Mod(y, ed25519P)
	y2 := new(big.Int).Mul(y, y)
	u := new(big.Int).Sub(y2, big.NewInt(1))
	u.Mod(u, ed25519P)
	v := new(big.Int).Mul(ed25519D, y2)
	v.Add(v, big.NewInt(1))
	v.Mod(v, ed25519P)
	x2 := new(big.Int).ModInverse(v, ed25519P)
	x2.Mul(x2, u)
	x2.Mod(x2, ed25519P)
	return x2.Sign() == 0 || big.Jacobi(x2, ed25519P) == 1
}

// canonicalScalar reports whether the signature's s half is below the group order.
func canonicalScalar(s []byte) bool {
	return leInt(s).Cmp(ed25519L) < 0
}

// validSecp256k1Compressed reports whether b is a 33-byte compressed secp256k1
// point: tag 0x02 or 0x03, x below p and x³+7 a square mod p.
func validSecp256k1Compressed(b []byte) bool {
	if len(b) != 33 || (b[0] != 2 && b[0] != 3) {
		return false
	}
	x := new(big.Int).SetBytes(b[1:])
	if x.Cmp(secpP) >= 0 {
		return false
	}
	rhs := new(big.Int).Exp(x, big.NewInt(3), secpP)
	rhs.Add(rhs, big.NewInt(7))
	rhs.Mod(rhs, secpP)
	return rhs.Sign() == 0 || big.Jacobi(rhs, secpP) == 1
}

// validSecp256k1Secret reports whether b is a 32-byte secp256k1 secret in [1, n).
func validSecp256k1Secret(b []byte) bool {
	if len(b) != 32 {
		return false
	}
	k := new(big.Int).SetBytes(b)
	return k.Sign() > 0 && k.Cmp(secpN) < 0
}
