package data

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/internal/keysort"
)

// archive12_1 is the archive of data-format.md §12.1 (ap_literal_and_use, invocation 0).
const archive12_1 = `
31324433 4b6f6f57 52584e44 5158516a 6e615335 424e785a 75377753 5172685a
7268736d 7a366d5a 77796346 7a667a39 34346744 00000034 ccffffff 01000000
00000000 01000000 ffffffec 00000001 00000000 00e9602b 41171834 a383972e
17c9c6ae dd2fce48 15cff263 fef23936 d7105827 e60015c6 0ff99260 498bc6b9
2069120e 55a7173f 37b57894 be8f59c5 e7513ea1 07dfd2cc 2e50cc68 d9f42baf
160e3636 c8e4a240 d6328a7b a7cdb9bb b21f1d1e 2a000000 ffffff9c 00000021
ffffffb5 00000041 ffffff74 00000001 00000001 ffffff80 00000000 ffffff78
00000000 ffffff70 00000000 ffffff68 00000000 ffffff60 00000000 ffffffbc
00000001`

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWalkthrough12_1(t *testing.T) {
	inner := mustHex(t, archive12_1)
	if len(inner) != 260 {
		t.Fatalf("archive is %d bytes, want 260", len(inner))
	}
	d, err := DecodeArchive(inner, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	const peer = "12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD"
	if len(d.Trace) != 1 || d.LastCallRequestID != 1 {
		t.Fatalf("trace %d states, lcid %d", len(d.Trace), d.LastCallRequestID)
	}
	c := d.Trace[0].Call
	if d.Trace[0].Kind != StateCall || c.Kind != CallSentBy || !c.WithCallID || c.CallID != 1 || c.SenderPeer != peer {
		t.Errorf("trace[0] = %+v", d.Trace[0])
	}
	if len(d.Signatures) != 1 {
		t.Fatalf("%d signatures", len(d.Signatures))
	}
	for k, v := range d.Signatures {
		if got := base58Encode(k); got != "1Gi13fPq2bgAamVT9GXC6e4cjNNq8xQh5zPFEcgqFA7xH" {
			t.Errorf("key %s", got)
		}
		if len(v) != 65 || v[0] != 0 {
			t.Errorf("signature of %d bytes", len(v))
		}
	}
	// our writer shares the same way here: byte-identical archive and envelope
	enc := Encode(d)
	if !bytes.Equal(enc[57:], inner) {
		t.Errorf("re-encoded archive differs:\n%x\n%x", enc[57:], inner)
	}
	want := append([]byte("\x83\xa7version\xa60.17.2\xb3interpreter_version\xa60.62.0\xaainner_data\xc5\x01\x04"), inner...)
	if !bytes.Equal(enc, want) {
		t.Errorf("envelope differs: %x", enc[:57])
	}
}

func TestWalkthrough12_2(t *testing.T) {
	var blob []byte
	for _, c := range loadCorpus(t) {
		if c.name == "seq_two_local_calls/1" {
			blob = c.raw
		}
	}
	if len(blob) != 761 {
		t.Fatalf("blob of %d bytes, want 761", len(blob))
	}
	inner := blob[57:]
	d, err := Decode(blob, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Trace) != 2 || d.LastCallRequestID != 2 {
		t.Fatalf("trace %d, lcid %d", len(d.Trace), d.LastCallRequestID)
	}
	cid := string(inner[0:61])
	if v := d.Trace[0].Call.Value; v.Kind != ValueScalar || v.CID != cid {
		t.Errorf("trace[0] value %+v", v)
	}
	sr, ok := d.CidInfo.ServiceResultStore[cid]
	if !ok {
		t.Fatal("service result missing")
	}
	if sr.ValueCID != string(inner[172:233]) || sr.TetrapletCID != string(inner[268:329]) || sr.ArgumentHash != string(inner[428:489]) {
		t.Errorf("service result %+v", sr)
	}
	if got := d.CidInfo.ValueStore[sr.ValueCID]; got != `{"k":[1,2,3]}` {
		t.Errorf("value %q", got)
	}
	tp := d.CidInfo.TetrapletStore[sr.TetrapletCID]
	if tp.ServiceID != "svc" || tp.FunctionName != "get" || tp.Lens != "" || len(tp.PeerPK) != 52 {
		t.Errorf("tetraplet %+v", tp)
	}
	if enc := Encode(d); !bytes.Equal(enc, blob) {
		t.Logf("not byte-identical (allowed): %d vs %d bytes", len(enc), len(blob))
	}
}

func TestSortedOrderByteOrder(t *testing.T) {
	m := map[string]int{"bagaaihrab": 1, "bagaaihraa": 2, "bagaaiera": 3, "a": 4, "": 5, "bagaaihra": 6, "bagaaihraa\x00": 7, "zz": 8}
	checkSorted(t, m)
	// Keys that tie on the bytes keysort compares first.
	m = map[string]int{}
	for i := 0; i < 300; i++ {
		m[fmt.Sprintf("pAAAAAA%03d", (i*7919)%1000)] = i
		m[fmt.Sprintf("pAAAAA%04d", (i*104729)%10000)] = i
	}
	m["q"] = 0
	checkSorted(t, m)
}

func checkSorted(t *testing.T, m map[string]int) {
	t.Helper()
	var keys []string
	var vals []int
	for k, v := range m {
		keys = append(keys, k)
		vals = append(vals, v)
	}
	perm := keysort.Perm(keys)
	for j := 1; j < len(perm); j++ {
		if keys[perm[j-1]] >= keys[perm[j]] {
			t.Fatalf("not in byte order: %q before %q", keys[perm[j-1]], keys[perm[j]])
		}
	}
	for j, i := range perm {
		if m[keys[i]] != vals[i] {
			t.Fatalf("entry %d: key %q with value %d, want %d", j, keys[i], vals[i], m[keys[i]])
		}
	}
	if len(perm) != len(m) {
		t.Fatalf("%d entries, want %d", len(perm), len(m))
	}
}
