package data

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"runtime"
	"testing"
)

// fuzzSeeds returns the recorded corpus blobs plus a few hand-made ones.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, c := range loadCorpus(f) {
		seeds = append(seeds, c.raw)
	}
	seeds = append(seeds, nil, []byte{0x80}, []byte{0xc1}, Encode(New()))
	return seeds
}

// checkRoundTrip asserts that decoded data survives Encode and the JSON view.
func checkRoundTrip(t *testing.T, d *Data) {
	enc := Encode(d)
	d2, err := Decode(enc, Limits{})
	if err != nil {
		t.Fatalf("our own encoding is rejected: %v", err)
	}
	if !bytes.Equal(Encode(d2), enc) {
		t.Fatal("re-encoding is not stable")
	}
	j, err := ToHumanJSON(d2)
	if err != nil {
		t.Fatal(err)
	}
	d3, err := FromHumanJSON(j)
	if err != nil {
		t.Fatalf("JSON view does not read back: %v\n%s", err, j)
	}
	if !reflect.DeepEqual(d2, d3) {
		t.Fatalf("JSON view round trip changed the data\n%s", j)
	}
}

// FuzzDecode feeds arbitrary bytes to Decode: it must not panic or hang, and whatever it
// accepts must round-trip through Encode and the JSON view.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b, Limits{MaxBytes: 1 << 20})
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		checkRoundTrip(t, d)
	})
}

// FuzzDecodeArchive mutates archives directly, past the envelope.
func FuzzDecodeArchive(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		if env, err := ParseEnvelope(s, Limits{}); err == nil && !env.Empty {
			f.Add(env.Inner)
		}
	}
	f.Fuzz(func(t *testing.T, inner []byte) {
		d, err := DecodeArchive(inner, Limits{MaxBytes: 1 << 20})
		if err != nil {
			return
		}
		checkRoundTrip(t, d)
	})
}

// TestDecodeMemoryBound checks that decoding allocates at most a fixed multiple of the
// input size, valid or not, whatever lengths the input declares.
func TestDecodeMemoryBound(t *testing.T) {
	inputs := [][]byte{Encode(bigTraceData(20_000)), Encode(bigValueData(1 << 20))}
	for _, c := range loadCorpus(t) {
		inputs = append(inputs, c.raw)
	}
	for _, m := range malformedArchives(t) {
		inputs = append(inputs, envelope(m.inner))
	}
	// a Vec of 2^32-1 elements, a string of 2^31 bytes, a bin32 of 4 GB
	huge := mustHex(t, archive12_1)
	binary.BigEndian.PutUint32(huge[204:], 0xffffffff)
	inputs = append(inputs, envelope(huge), []byte{0xc6, 0xff, 0xff, 0xff, 0xff}, []byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	for i, in := range inputs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Decode(in, Limits{})
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(12*len(in)+64<<10); got > limit {
			t.Errorf("input %d of %d bytes: %d bytes allocated, more than %d", i, len(in), got, limit)
		}
	}
}
