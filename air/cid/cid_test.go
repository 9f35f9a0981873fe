package cid

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/value"
	"github.com/mr-tron/base58"
	"github.com/zeebo/blake3"
)

func parseValue(t testing.TB, s string) value.Value {
	t.Helper()
	v, err := value.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Vectors from air.md §9.3 and AquaVM's interpreter-cid tests.
var vectors = []struct{ json, blake3, sha256, blake3z string }{
	{`"test"`, "bagaaihrarcyykpv4oj7zwdbepczyfthxya4og7s2rwvrzolm5kg2eu5dz3xa",
		"bagaaierajwlhumardpzj6dv2ahcerm3vyfrjwl7nahg7zq5o3eprwv6v3vpa",
		"z3v8BBKBcZMDh6ANTaiT7PmfrBWbBmoVQvDxojXt1M4eczFDmhF"},
	{`[1,2,3]`, "bagaaihram6sitn77tquub77n2jzjgttrlwkverv44pv3gns6qghm6hx6d36a",
		"bagaaierauyk65lxcdxsrphpaqdpiymcszdnjaejyibv2ohbyyaziix35kt2a",
		"z3v8BBK9PYQwY7AGn9wb79BFTzSQiLALGAEmyqSYbCV2D9y8RLw"},
	{`1`, "bagaaihra2y55tkbgv6i4d7vdoglfuzhbd3ra6e7ennpvfrmzaejwmbntusdq",
		"bagaaieranodle477gt6odhllqbhp6wr7k5d23jhkuixr2soadzjn3n4hlnfq",
		"z3v8BBKGqF5gxukC6oU2EsSnTD7hBRorAabGJ8UDpNKneW7UApe"},
	{`{"key":42}`, "bagaaihracpzxhsrpviexa7k6glwdhyh3a4kvy6j7qlcqokzqbs3q424cmxyq",
		"bagaaierad7lci6475zdrps4h6fmcpmqyknz5z6bw6p6tmpjkfyueavqw4kaq",
		"z3v8BBK3kqxb39bomB9bJQ22a734aidv5C7QmjdfKiePgVjdQUQ"},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		if got := FromBytes([]byte(v.json)); got != v.blake3 {
			t.Errorf("FromBytes(%s) = %s, want %s", v.json, got, v.blake3)
		}
		if got := FromValue(parseValue(t, v.json)); got != v.blake3 {
			t.Errorf("FromValue(%s) = %s, want %s", v.json, got, v.blake3)
		}
		h := NewHasher()
		for i := 0; i < len(v.json); i++ {
			h.Write([]byte{v.json[i]})
		}
		if got := h.Sum(); got != v.blake3 {
			t.Errorf("Hasher(%s) = %s", v.json, got)
		}
		for _, c := range []string{v.blake3, v.sha256, v.blake3z, "B" + strings.ToUpper(v.blake3[1:])} {
			if err := Verify(c, []byte(v.json)); err != nil {
				t.Errorf("Verify(%s, %s): %v", c, v.json, err)
			}
			if err := VerifyValue(c, parseValue(t, v.json)); err != nil {
				t.Errorf("VerifyValue(%s, %s): %v", c, v.json, err)
			}
		}
	}
	c := FromBytes(nil)
	if len(c) != Len || !strings.HasPrefix(c, Prefix) || Len != 61 {
		t.Errorf("CID shape: %q (Len %d)", c, Len)
	}
}

// encodeCID builds a multibase "b" CID from its parts.
func encodeCID(version, codec, code uint64, digest []byte) string {
	var b []byte
	for _, x := range []uint64{version, codec, code, uint64(len(digest))} {
		for x >= 0x80 {
			b = append(b, byte(x)|0x80)
			x >>= 7
		}
		b = append(b, byte(x))
	}
	b = append(b, digest...)
	return "b" + b32.EncodeToString(b)
}

func TestVerifyErrors(t *testing.T) {
	data := []byte(`1`)
	b3 := blake3.Sum256(data)
	s2 := sha256.Sum256(data)
	var codecErr *UnsupportedCodecError
	var hashErr *UnsupportedHashError
	var mismatch *MismatchError
	var malformed *MalformedError
	tests := []struct {
		name, cid string
		target    any
		text      string
	}{
		{"other data", vectors[0].blake3, &mismatch, `value mismatch for CID "` + vectors[0].blake3 + `"`},
		{"other data sha2", vectors[0].sha256, &mismatch, ""},
		{"git-raw codec", encodeCID(1, 0x78, HashBlake3, b3[:]), &codecErr, "unsupported CID codec: 120"},
		{"raw codec", encodeCID(1, 0x55, HashBlake3, b3[:]), &codecErr, "unsupported CID codec: 85"},
		{"shake-128", encodeCID(1, CodecJSON, 0x18, b3[:]), &hashErr, "unsupported multihash code: 24"},
		{"ripemd160", encodeCID(1, CodecJSON, 0x1053, b3[:]), &hashErr, "unsupported multihash code: 4179"},
		{"truncated blake3", encodeCID(1, CodecJSON, HashBlake3, b3[:16]), &mismatch, ""},
		{"truncated sha2", encodeCID(1, CodecJSON, HashSHA2256, s2[:31]), &mismatch, ""},
		{"empty digest", encodeCID(1, CodecJSON, HashBlake3, nil), &mismatch, ""},
		{"longer digest", encodeCID(1, CodecJSON, HashBlake3, append(b3[:], 0)), &mismatch, ""},
		{"garbage", "garbage", &malformed, "Failed to parse multihash"},
		{"short", "b", &malformed, "Input too short"},
		{"bad base32", "b1111", &malformed, "Failed to parse multihash"},
		{"version 2", encodeCID(2, CodecJSON, HashBlake3, b3[:]), &malformed, "Unrecognized CID version"},
		{"explicit v0", encodeCID(0, CodecJSON, HashBlake3, b3[:]), &malformed, "CIDv0 cannot be specified in CIDv1 format"},
		{"digest cut off", encodeCID(1, CodecJSON, HashBlake3, b3[:])[:50], &malformed, "Failed to parse multihash"},
		{"oversized digest", encodeCID(1, CodecJSON, HashBlake3, make([]byte, 65)), &malformed, "Failed to parse multihash"},
		{"no codec", "b" + b32.EncodeToString([]byte{1}), &malformed, "unexpected end of file"},
		{"non-minimal varint", "b" + b32.EncodeToString([]byte{0x81, 0x00, 0x01}), &malformed, "Failed to decode unsigned varint format"},
	}
	for _, tt := range tests {
		err := Verify(tt.cid, data)
		if err == nil {
			t.Errorf("%s: Verify(%s) succeeded", tt.name, tt.cid)
			continue
		}
		if !errors.As(err, tt.target) {
			t.Errorf("%s: error %T %q is not %T", tt.name, err, err, tt.target)
		}
		if tt.text != "" && err.Error() != tt.text {
			t.Errorf("%s: error %q, want %q", tt.name, err, tt.text)
		}
	}
}

func TestParse(t *testing.T) {
	p, err := Parse(vectors[2].blake3)
	if err != nil {
		t.Fatal(err)
	}
	want := blake3.Sum256([]byte(`1`))
	if p.Version != 1 || p.Codec != CodecJSON || p.HashCode != HashBlake3 || string(p.Digest) != string(want[:]) {
		t.Errorf("Parse = %+v", p)
	}
	// The "/ipfs/" path form and trailing bytes are accepted like the Rust crate does.
	if _, err := Parse("/ipfs/" + vectors[2].blake3); err != nil {
		t.Errorf("ipfs path: %v", err)
	}
	v0 := base58.Encode(append([]byte{0x12, 0x20}, want[:]...))
	p, err = Parse(v0)
	if err != nil || p.Version != 0 || p.Codec != CodecDagPB || p.HashCode != HashSHA2256 {
		t.Errorf("CIDv0 %s: %+v %v", v0, p, err)
	}
	if err := Verify(v0, []byte(`1`)); err == nil || err.Error() != "unsupported CID codec: 112" {
		t.Errorf("CIDv0 Verify: %v", err)
	}
	for _, base := range []string{"f", "F", "m", "u", "c", "v", "h"} {
		if _, err := Parse(base); err == nil {
			t.Errorf("Parse(%q) succeeded", base)
		}
	}
}

func BenchmarkFromBytes256(b *testing.B) {
	data := []byte(strings.Repeat("x", 256))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		FromBytes(data)
	}
}

func BenchmarkFromValue(b *testing.B) {
	v := parseValue(b, `{"peer_pk":"12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD","service_id":"svc","function_name":"f","lens":".$.a"}`)
	for b.Loop() {
		FromValue(v)
	}
}

func TestEncodeDigestMatchesBase32(t *testing.T) {
	var d [32]byte
	for n := 0; n < 200; n++ {
		for i := range d {
			d[i] = byte(n*131 + i*i*7 + i)
		}
		if n == 1 {
			d = [32]byte{}
		}
		if n == 2 {
			for i := range d {
				d[i] = 0xff
			}
		}
		var got [52]byte
		encodeDigest(got[:], &d)
		if want := b32.EncodeToString(d[:]); string(got[:]) != want {
			t.Fatalf("digest %x: got %s, want %s", d, got, want)
		}
	}
}

func TestAppendMatchesFromBytes(t *testing.T) {
	dst := []byte("prefix:")
	for _, in := range []string{"", `"x"`, `{"a":[1,2,3]}`} {
		before := string(dst)
		dst = Append(dst, []byte(in))
		if got := string(dst[len(before):]); got != FromBytes([]byte(in)) || string(dst[:len(before)]) != before {
			t.Fatalf("Append(%q) wrote %q, want %q after the existing bytes", in, got, FromBytes([]byte(in)))
		}
	}
}
