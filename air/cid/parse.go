package cid

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/mr-tron/base58"
)

// Parsed is a decoded CID.
type Parsed struct {
	Version  uint64 // 0 or 1
	Codec    uint64 // multicodec of the content (CodecDagPB for a CIDv0)
	HashCode uint64 // multihash function code
	Digest   []byte // multihash digest, as long as the multihash says
}

// MalformedError reports a CID that cannot be decoded. Reason is the text the Rust
// cid crate gives for the same input (for example "Failed to parse multihash").
type MalformedError struct {
	CID    string
	Reason string
}

// Error returns the Rust cid crate's text, which AquaVM passes through unchanged.
func (e *MalformedError) Error() string { return e.Reason }

// The Rust cid crate's error texts.
const (
	reasonTooShort      = "Input too short"
	reasonParsing       = "Failed to parse multihash"
	reasonVersion       = "Unrecognized CID version"
	reasonVarint        = "Failed to decode unsigned varint format"
	reasonExplicitV0    = "CIDv0 cannot be specified in CIDv1 format"
	reasonUnexpectedEOF = "unexpected end of file"
	reasonFillBuffer    = "failed to fill whole buffer"
)

// maxDigest is the largest digest the cid crate's default multihash can hold.
const maxDigest = 64

// multibase decoders by prefix character; bases AquaVM never writes but the cid
// crate would accept beyond these (base2, base8, base10, base36, base58flickr)
// are reported as unparsable.
var multibase = map[byte]func(string) ([]byte, error){
	'b': b32.DecodeString,
	'B': base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString,
	'c': base32.NewEncoding(b32Alphabet).DecodeString,
	'C': base32.StdEncoding.DecodeString,
	'v': base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding).DecodeString,
	'V': base32.HexEncoding.WithPadding(base32.NoPadding).DecodeString,
	't': base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").DecodeString,
	'T': base32.HexEncoding.DecodeString,
	'h': base32.NewEncoding("ybndrfg8ejkmcpqxot1uwisza345h769").WithPadding(base32.NoPadding).DecodeString,
	'z': base58.Decode,
	'f': hexDecoder("0123456789abcdef"),
	'F': hexDecoder("0123456789ABCDEF"),
	'm': strictBase64(base64.RawStdEncoding),
	'M': strictBase64(base64.StdEncoding),
	'u': strictBase64(base64.RawURLEncoding),
	'U': strictBase64(base64.URLEncoding),
}

func hexDecoder(alphabet string) func(string) ([]byte, error) {
	return func(s string) ([]byte, error) {
		for i := 0; i < len(s); i++ {
			if strings.IndexByte(alphabet, s[i]) < 0 {
				return nil, hex.InvalidByteError(s[i])
			}
		}
		return hex.DecodeString(s)
	}
}

// strictBase64 refuses the line breaks Go's decoder would skip.
func strictBase64(enc *base64.Encoding) func(string) ([]byte, error) {
	enc = enc.Strict()
	return func(s string) ([]byte, error) {
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			return nil, base64.CorruptInputError(i)
		}
		return enc.DecodeString(s)
	}
}

// Parse decodes a CID string as the Rust cid crate (0.11) does: text after an
// "/ipfs/" marker is taken, a 46-character string starting "Qm" is a base58btc
// CIDv0, anything else is multibase. Bytes after the multihash are ignored, as
// the crate ignores them.
func Parse(s string) (*Parsed, error) {
	bad := func(reason string) (*Parsed, error) { return nil, &MalformedError{CID: s, Reason: reason} }
	text := s
	if i := strings.Index(text, "/ipfs/"); i >= 0 {
		text = text[i+len("/ipfs/"):]
	}
	if len(text) < 2 {
		return bad(reasonTooShort)
	}
	var raw []byte
	var err error
	if len(text) == 46 && strings.HasPrefix(text, "Qm") {
		raw, err = base58.Decode(text)
	} else if dec, ok := multibase[text[0]]; ok {
		raw, err = dec(text[1:])
	} else {
		return bad(reasonParsing)
	}
	if err != nil {
		return bad(reasonParsing)
	}

	version, n, verr := readVarint(raw)
	if verr != "" {
		return bad(verr)
	}
	raw = raw[n:]
	codec, n, verr := readVarint(raw)
	if verr != "" {
		return bad(verr)
	}
	raw = raw[n:]
	if version == HashSHA2256 && codec == 32 { // a bare sha2-256 multihash: CIDv0
		if len(raw) < 32 {
			return bad(reasonFillBuffer)
		}
		return &Parsed{Version: 0, Codec: CodecDagPB, HashCode: HashSHA2256, Digest: raw[:32]}, nil
	}
	switch version {
	case 0:
		return bad(reasonExplicitV0)
	case 1:
	default:
		return bad(reasonVersion)
	}
	code, n, verr := readVarint(raw)
	if verr != "" {
		return bad(reasonParsing)
	}
	raw = raw[n:]
	size, n, verr := readVarint(raw)
	if verr != "" || size > maxDigest {
		return bad(reasonParsing)
	}
	raw = raw[n:]
	if uint64(len(raw)) < size {
		return bad(reasonParsing)
	}
	return &Parsed{Version: 1, Codec: codec, HashCode: code, Digest: raw[:size]}, nil
}

// readVarint reads an unsigned LEB128 varint of at most ten bytes, refusing
// non-minimal encodings like the unsigned-varint crate. It returns the value, the
// bytes used and, on failure, the cid crate's reason.
func readVarint(b []byte) (uint64, int, string) {
	var x uint64
	for i := 0; i < 10; i++ {
		if i == len(b) {
			return 0, 0, reasonUnexpectedEOF
		}
		c := b[i]
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, 0, reasonVarint
			}
			return x, i + 1, ""
		}
	}
	return 0, 0, reasonVarint
}
