// Package cid computes and checks the content identifiers AquaVM gives to every
// value it stores: CIDv1, multicodec json (0x0200), a BLAKE3-256 multihash, written
// in lower-case base32 with the multibase prefix "b". Such a CID is always 61
// characters long and starts with "bagaaihra".
package cid

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"

	"github.com/cascadep2p/cascade/air/value"
	"github.com/zeebo/blake3"
)

// Multiformat codes used by AquaVM CIDs.
const (
	// CodecJSON is the multicodec of the hashed bytes (json).
	CodecJSON = 0x0200
	// CodecDagPB is the multicodec a CIDv0 implies; AquaVM refuses it.
	CodecDagPB = 0x70
	// HashSHA2256 is the sha2-256 multihash code, accepted on verification.
	HashSHA2256 = 0x12
	// HashBlake3 is the blake3 multihash code, used for every CID AquaVM makes.
	HashBlake3 = 0x1e
)

// Prefix is the text every CID made by FromBytes starts with: it encodes the five
// bytes 0x01 (CIDv1), 0x80 0x04 (json), 0x1e (blake3), 0x20 (32-byte digest).
const Prefix = "bagaaihra"

// Len is the length of a CID made by FromBytes.
const Len = len(Prefix) + 52

// b32Alphabet is RFC 4648 base32's alphabet in lower case (multibase "b").
const b32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"

// b32 is base32 with b32Alphabet and no padding.
var b32 = base32.NewEncoding(b32Alphabet).WithPadding(base32.NoPadding)

// b32Pairs holds the two characters of every 10-bit group, the first in the low byte.
var b32Pairs = func() (t [1024]uint16) {
	for i := range t {
		t[i] = uint16(b32Alphabet[i>>5]) | uint16(b32Alphabet[i&31])<<8
	}
	return t
}()

// encodeDigest writes a 32-byte digest in b32 (52 characters) to dst: the same text as
// b32.Encode, five bytes (eight characters, one 64-bit store) at a time. Every CID the
// interpreter makes or verifies goes through it.
func encodeDigest(dst []byte, d *[32]byte) {
	dst = dst[:52:52]
	for g := 0; g < 6; g++ {
		x := uint64(d[5*g])<<32 | uint64(d[5*g+1])<<24 | uint64(d[5*g+2])<<16 | uint64(d[5*g+3])<<8 | uint64(d[5*g+4])
		w := uint64(b32Pairs[x>>30&1023]) | uint64(b32Pairs[x>>20&1023])<<16 |
			uint64(b32Pairs[x>>10&1023])<<32 | uint64(b32Pairs[x&1023])<<48
		binary.LittleEndian.PutUint64(dst[8*g:], w)
	}
	// The last two bytes: 16 bits, padded with four zero bits to four characters.
	x := (uint64(d[30])<<8 | uint64(d[31])) << 4
	binary.LittleEndian.PutUint32(dst[48:], uint32(b32Pairs[x>>10&1023])|uint32(b32Pairs[x&1023])<<16)
}

// Append appends the CID text of exactly the bytes b (Len bytes) to dst.
func Append(dst, b []byte) []byte {
	digest := blake3.Sum256(b)
	return appendDigest(dst, &digest)
}

// appendDigest appends the CID text of a blake3 digest. The five prefix bytes fill
// exactly eight base32 characters, so the digest encodes on its own after them.
func appendDigest(dst []byte, digest *[32]byte) []byte {
	dst = append(dst, Prefix...)
	n := len(dst)
	dst = append(dst, make([]byte, Len-len(Prefix))...)
	encodeDigest(dst[n:], digest)
	return dst
}

// FromBytes returns the CID of exactly the bytes b.
func FromBytes(b []byte) string {
	var buf [Len]byte
	return string(Append(buf[:0], b))
}

// FromValue returns the CID of the compact serde_json text of v (value.Marshal).
func FromValue(v value.Value) string {
	var scratch [256]byte
	return FromBytes(value.AppendJSON(scratch[:0], v))
}

// Hasher computes a CID incrementally, for callers that produce the hashed text
// piecewise. The zero Hasher is not usable; call NewHasher.
type Hasher struct{ h *blake3.Hasher }

// NewHasher returns a Hasher over no bytes yet.
func NewHasher() *Hasher { return &Hasher{h: blake3.New()} }

// Write adds p to the hashed bytes; it never fails.
func (h *Hasher) Write(p []byte) (int, error) { return h.h.Write(p) }

// Sum returns the CID of the bytes written so far.
func (h *Hasher) Sum() string {
	var digest [32]byte
	h.h.Sum(digest[:0])
	var buf [Len]byte
	return string(appendDigest(buf[:0], &digest))
}

// Verify checks that cid identifies the bytes b, the way AquaVM verifies its raw
// value store: the CID is decoded (any multibase, or a CIDv0), its codec must be
// json and its multihash sha2-256 or blake3 with the full 32-byte digest of b.
// Errors are *MalformedError, *UnsupportedCodecError, *UnsupportedHashError or
// *MismatchError.
func Verify(cid string, b []byte) error {
	if len(cid) == Len && cid[:len(Prefix)] == Prefix {
		// The only form AquaVM itself writes: compare the text without allocating it.
		var buf [Len]byte
		if string(Append(buf[:0], b)) == cid {
			return nil
		}
	}
	c, err := Parse(cid)
	if err != nil {
		return err
	}
	if c.Codec != CodecJSON {
		return &UnsupportedCodecError{Codec: c.Codec}
	}
	var want []byte
	switch c.HashCode {
	case HashSHA2256:
		sum := sha256.Sum256(b)
		want = sum[:]
	case HashBlake3:
		sum := blake3.Sum256(b)
		want = sum[:]
	default:
		return &UnsupportedHashError{Code: c.HashCode}
	}
	// A multihash may carry a truncated digest; like AquaVM, accept only the full one.
	if string(want) != string(c.Digest) {
		return &MismatchError{CID: cid}
	}
	return nil
}

// VerifyValue checks that cid identifies the compact serde_json text of v, as
// AquaVM verifies its tetraplet, service result and canon stores.
func VerifyValue(cid string, v value.Value) error {
	return Verify(cid, value.Marshal(v))
}

// UnsupportedCodecError reports a well-formed CID whose codec is not json.
type UnsupportedCodecError struct{ Codec uint64 }

// Error returns AquaVM's text, with the codec in decimal.
func (e *UnsupportedCodecError) Error() string {
	return fmt.Sprintf("unsupported CID codec: %d", e.Codec)
}

// UnsupportedHashError reports a multihash that is neither sha2-256 nor blake3.
type UnsupportedHashError struct{ Code uint64 }

// Error returns AquaVM's text, with the multihash code in decimal.
func (e *UnsupportedHashError) Error() string {
	return fmt.Sprintf("unsupported multihash code: %d", e.Code)
}

// MismatchError reports a CID whose digest is not the hash of the data, including
// a digest shorter than the full hash.
type MismatchError struct{ CID string }

// Error names the CID that does not match.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("value mismatch for CID %q", e.CID)
}
