package sig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
)

func mustKeyPair(t testing.TB, seed []byte) *KeyPair {
	t.Helper()
	k, err := NewKeyPair(seed)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func oracleKey(t testing.TB, name string) *KeyPair {
	seed := sha256.Sum256([]byte("air-oracle/" + name))
	return mustKeyPair(t, seed[:])
}

func TestKeyPair(t *testing.T) {
	// RFC 8032 §7.1, test 1.
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	pub, _ := hex.DecodeString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	k := mustKeyPair(t, seed)
	if want := append([]byte{0}, pub...); !bytes.Equal(k.PublicKeyRaw(), want) {
		t.Errorf("PublicKeyRaw = %x, want %x", k.PublicKeyRaw(), want)
	}
	if !strings.HasPrefix(k.PeerID(), "12D3KooW") || len(k.PeerID()) != 52 {
		t.Errorf("PeerID = %s", k.PeerID())
	}
	id, err := PeerIDFromPublicKeyRaw(k.PublicKeyRaw())
	if err != nil || id != k.PeerID() {
		t.Errorf("PeerIDFromPublicKeyRaw = %s, %v", id, err)
	}
	// Peer ids of the conformance corpus (air-oracle seeds).
	for name, want := range map[string]string{
		"a": "12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD",
	} {
		if got := oracleKey(t, name).PeerID(); got != want {
			t.Errorf("peer %s: %s, want %s", name, got, want)
		}
	}
	for _, n := range []int{0, 31, 33, 64} {
		_, err := NewKeyPair(make([]byte, n))
		var ke *KeyError
		if !errors.As(err, &ke) || err.Error() != "invalid key data: Failed to decode, invalid length: could not convert slice to array" {
			t.Errorf("NewKeyPair(%d bytes): %v", n, err)
		}
	}
}

func TestNewKeyPairFormat(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	if k, err := NewKeyPairFormat(0, seed); err != nil || k.PeerID() != mustKeyPair(t, seed).PeerID() {
		t.Errorf("format 0: %v", err)
	}
	tests := []struct {
		format byte
		secret []byte
		want   string
	}{
		{0, seed[:5], "invalid key data: Failed to decode, invalid length: could not convert slice to array"},
		{1, seed, "invalid key data: Invalid type prefix"},
		{3, seed, "invalid key data: Invalid type prefix"},
		{2, seed, "signature algorithm Secp256k1 not whitelisted"},
		{2, make([]byte, 32), "invalid key data: Failed to decode with secp256k1"},
		{2, bytes.Repeat([]byte{0xff}, 32), "invalid key data: Failed to decode with secp256k1"},
		{2, seed[:31], "invalid key data: Failed to decode with secp256k1"},
	}
	for _, tt := range tests {
		_, err := NewKeyPairFormat(tt.format, tt.secret)
		if err == nil || err.Error() != tt.want {
			t.Errorf("NewKeyPairFormat(%d, %x) = %v, want %q", tt.format, tt.secret, err, tt.want)
		}
	}
}

func TestMessage(t *testing.T) {
	got := Message([]string{"bc", "a", "bb", "a"}, "pid")
	want := []byte{
		4, 0, 0, 0,
		1, 0, 0, 0, 'a',
		1, 0, 0, 0, 'a',
		2, 0, 0, 0, 'b', 'b',
		2, 0, 0, 0, 'b', 'c',
		3, 0, 0, 0, 'p', 'i', 'd',
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Message = %v, want %v", got, want)
	}
	if got := Message(nil, ""); !bytes.Equal(got, make([]byte, 8)) {
		t.Errorf("empty Message = %v", got)
	}
	// Byte-wise order: "B" < "a" < "é".
	got = Message([]string{"é", "a", "B"}, "")
	if !bytes.Equal(got[4:9], []byte{1, 0, 0, 0, 'B'}) || !bytes.Equal(got[14:20], []byte{2, 0, 0, 0, 0xc3, 0xa9}) {
		t.Errorf("Message order = %v", got)
	}
}

func TestSignVerify(t *testing.T) {
	k := oracleKey(t, "a")
	cids := []string{"bagaaihrb", "bagaaihra", "bagaaihrb"}
	orig := append([]string(nil), cids...)
	s := k.Sign(cids, "particle")
	if len(s) != SignatureRawSize || s[0] != 0 {
		t.Fatalf("signature %x", s)
	}
	if strings.Join(cids, ",") != strings.Join(orig, ",") {
		t.Errorf("Sign reordered its argument")
	}
	if !ed25519.Verify(k.PublicKeyRaw()[1:], Message(cids, "particle"), s[1:]) {
		t.Errorf("crypto/ed25519 rejects the signature")
	}
	// Order of the CIDs given does not matter; their multiset and the salt do.
	if err := Verify(k.PublicKeyRaw(), s, []string{"bagaaihrb", "bagaaihrb", "bagaaihra"}, "particle"); err != nil {
		t.Errorf("Verify: %v", err)
	}
	// A secp256k1 type byte on an Ed25519 signature is accepted, as by the keypair crate.
	if err := Verify(k.PublicKeyRaw(), append([]byte{2}, s[1:]...), cids, "particle"); err != nil {
		t.Errorf("Verify with type byte 2: %v", err)
	}

	keyB58 := Base58Encode(k.PublicKeyRaw()[1:])
	sigB58 := Base58Encode(s[1:])
	highS := append([]byte(nil), s...)
	highS[64] |= 0xf0
	tests := []struct {
		name  string
		pk    []byte
		sig   []byte
		cids  []string
		salt  string
		msg   string
		debug string
	}{
		{"other salt", k.PublicKeyRaw(), s, cids, "other", "Failed to verify signature " + sigB58 + " with " + keyB58 +
			" ed25519 public key: signature error: Verification equation was not satisfied",
			`Verification(Ed25519(signature::Error { source: Some(Verification equation was not satisfied) }, "` + sigB58 + `", "` + keyB58 + `"))`},
		{"missing cid", k.PublicKeyRaw(), s, cids[:2], "particle", "", ""},
		{"other key", oracleKey(t, "b").PublicKeyRaw(), s, cids, "particle", "", ""},
		{"short", k.PublicKeyRaw(), s[:64], cids, "particle", "Failed to verify signature " + Base58Encode(s[1:64]) + " with " + keyB58 +
			" ed25519 public key: signature error",
			`Verification(Ed25519(signature::Error { source: None }, "` + Base58Encode(s[1:64]) + `", "` + keyB58 + `"))`},
		{"high s", k.PublicKeyRaw(), highS, cids, "particle", "Failed to verify signature " + Base58Encode(highS[1:]) + " with " + keyB58 +
			" ed25519 public key: signature error: Cannot use scalar with high-bit set", ""},
		{"rsa type byte", k.PublicKeyRaw(), append([]byte{1}, s[1:]...), cids, "particle", "incorrect signature: Invalid type prefix", "InvalidSignature(InvalidTypeByte)"},
		{"empty", k.PublicKeyRaw(), nil, cids, "particle", "", ""},
	}
	for _, tt := range tests {
		err := Verify(tt.pk, tt.sig, tt.cids, tt.salt)
		var ve *VerifyError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v (%T), want *VerifyError", tt.name, err, err)
			continue
		}
		if tt.msg != "" && err.Error() != tt.msg {
			t.Errorf("%s: error %q, want %q", tt.name, err, tt.msg)
		}
		if tt.debug != "" && ve.Debug() != tt.debug {
			t.Errorf("%s: debug %q, want %q", tt.name, ve.Debug(), tt.debug)
		}
	}
	if err := Verify([]byte{1}, s, cids, "particle"); err == nil || err.Error() != "invalid key data: Invalid type prefix" {
		t.Errorf("Verify with a bad key: %v", err)
	}
}

// secpGenerator is the compressed secp256k1 base point.
var secpGenerator, _ = hex.DecodeString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")

func TestPeerIDFromPublicKeyRawErrors(t *testing.T) {
	good := oracleKey(t, "a").PublicKeyRaw()
	badPoint := badEd25519Point(t)
	secpBadX := append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)
	tests := []struct {
		name string
		pk   []byte
		want string
	}{
		{"rsa", append([]byte{1}, good[1:]...), "invalid key data: Invalid type prefix"},
		{"unknown type", append([]byte{3}, good[1:]...), "invalid key data: Invalid type prefix"},
		{"secp256k1", append([]byte{2}, secpGenerator...), "signature algorithm Secp256k1 not whitelisted"},
		{"secp256k1 uncompressed tag", append([]byte{2, 4}, secpGenerator[1:]...), "invalid key data: Failed to decode with secp256k1"},
		{"secp256k1 x >= p", append([]byte{2}, secpBadX...), "invalid key data: Failed to decode with secp256k1"},
		{"secp256k1 short", append([]byte{2}, secpGenerator[:32]...), "invalid key data: Failed to decode with secp256k1"},
		{"ed25519 short", good[:32], "invalid key data: Failed to decode, invalid length: could not convert slice to array"},
		{"ed25519 long", append(append([]byte(nil), good...), 0), "invalid key data: Failed to decode, invalid length: could not convert slice to array"},
		{"ed25519 not a point", append([]byte{0}, badPoint...), "invalid key data: Failed to decode with ed25519: signature error: Cannot decompress Edwards point"},
		{"empty", nil, "invalid key data: empty key"},
	}
	for _, tt := range tests {
		for range 2 { // the second lookup comes from the cache
			_, err := PeerIDFromPublicKeyRaw(tt.pk)
			var ke *KeyError
			if !errors.As(err, &ke) || err.Error() != tt.want {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
	}
}

// badEd25519Point finds a y coordinate with no matching x.
func badEd25519Point(t *testing.T) []byte {
	for y := int64(2); y < 100; y++ {
		b := make([]byte, 32)
		b[0] = byte(y)
		if !validEd25519Point(b) {
			return b
		}
	}
	t.Fatal("no invalid point found")
	return nil
}

func TestEd25519PointValidation(t *testing.T) {
	// Every real public key is a valid point.
	for i := range 50 {
		seed := sha256.Sum256([]byte{byte(i)})
		if k := mustKeyPair(t, seed[:]); !validEd25519Point(k.PublicKeyRaw()[1:]) {
			t.Fatalf("key %d rejected", i)
		}
	}
	// The identity (y = 1) and y = 0 decompress; the sign bit does not matter.
	one := make([]byte, 32)
	one[0] = 1
	if !validEd25519Point(one) || !validEd25519Point(make([]byte, 32)) {
		t.Errorf("identity or y=0 rejected")
	}
	one[31] |= 0x80
	if !validEd25519Point(one) {
		t.Errorf("sign bit changed validity")
	}
	// About half of all y have a point; check by the independent criterion
	// x = ±sqrt((y²−1)/(dy²+1)) satisfies the curve equation −x²+y² = 1+dx²y².
	valid := 0
	for y := int64(2); y < 202; y++ {
		b := make([]byte, 32)
		b[0], b[1] = byte(y), byte(y>>8)
		ok := validEd25519Point(b)
		if ok {
			valid++
		}
		if ok != onCurveBySqrt(big.NewInt(y)) {
			t.Errorf("y=%d: validEd25519Point %v disagrees with the square root", y, ok)
		}
	}
	if valid < 70 || valid > 130 {
		t.Errorf("%d of 200 y values valid", valid)
	}
}

// onCurveBySqrt tries to compute x with ModSqrt and checks the curve equation.
func onCurveBySqrt(y *big.Int) bool {
	p := ed25519P
	y2 := new(big.Int).Mul(y, y)
	u := new(big.Int).Sub(y2, big.NewInt(1))
	v := new(big.Int).Mul(ed25519D, y2)
	v.Add(v, big.NewInt(1))
	x2 := new(big.Int).ModInverse(v.Mod(v, p), p)
	x2.Mul(x2, u).Mod(x2, p)
	x := new(big.Int).ModSqrt(x2, p)
	if x == nil {
		return false
	}
	xx := new(big.Int).Mul(x, x)
	lhs := new(big.Int).Sub(y2, xx)
	lhs.Mod(lhs, p)
	rhs := new(big.Int).Mul(ed25519D, xx)
	rhs.Mul(rhs, y2).Add(rhs, big.NewInt(1)).Mod(rhs, p)
	return lhs.Cmp(rhs) == 0
}

func TestBase58(t *testing.T) {
	tests := []struct {
		raw []byte
		enc string
	}{
		{[]byte{}, ""},
		{[]byte{0}, "1"},
		{[]byte{0, 0, 1}, "112"},
		{[]byte("hello world"), "StV1DL6CwTryKyV"},
	}
	for _, tt := range tests {
		if got := Base58Encode(tt.raw); got != tt.enc {
			t.Errorf("Base58Encode(%x) = %q, want %q", tt.raw, got, tt.enc)
		}
		got, err := Base58Decode(tt.enc)
		if err != nil || !bytes.Equal(got, tt.raw) {
			t.Errorf("Base58Decode(%q) = %x, %v", tt.enc, got, err)
		}
	}
	for _, bad := range []string{"0", "O", "I", "l", "abc+"} {
		if _, err := Base58Decode(bad); err == nil {
			t.Errorf("Base58Decode(%q) succeeded", bad)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	k := oracleKey(b, "a")
	cids := make([]string, 20)
	for i := range cids {
		cids[i] = strings.Repeat(string(rune('a'+i)), 61)
	}
	for b.Loop() {
		k.Sign(cids, "air-oracle-particle")
	}
}

func BenchmarkPeerIDFromPublicKeyRawCached(b *testing.B) {
	pk := oracleKey(b, "a").PublicKeyRaw()
	for b.Loop() {
		PeerIDFromPublicKeyRaw(pk)
	}
}

// TestNewKeyPairReusesTheLastKey checks that the cached key pair is returned only for
// its own seed.
func TestNewKeyPairReusesTheLastKey(t *testing.T) {
	seedA := bytes.Repeat([]byte{1}, SeedSize)
	seedB := bytes.Repeat([]byte{2}, SeedSize)
	want := map[byte]string{}
	for _, seed := range [][]byte{seedA, seedB} {
		priv := ed25519.NewKeyFromSeed(seed)
		want[seed[0]] = string(append([]byte{KeyTypeEd25519}, priv[SeedSize:]...))
	}
	var last *KeyPair
	for i, seed := range [][]byte{seedA, seedA, seedB, seedA, seedB, seedB} {
		k := mustKeyPair(t, seed)
		if string(k.PublicKeyRaw()) != want[seed[0]] {
			t.Fatalf("call %d: the key of seed %d is %x", i, seed[0], k.PublicKeyRaw())
		}
		if id, _ := PeerIDFromPublicKeyRaw(k.PublicKeyRaw()); id != k.PeerID() {
			t.Fatalf("call %d: peer id %s does not match the key", i, k.PeerID())
		}
		if i > 0 && (k == last) != (seed[0] == last.priv[0]) {
			t.Fatalf("call %d: reuse of the previous key pair is %v", i, k == last)
		}
		last = k
	}
}
