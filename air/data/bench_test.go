package data

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"testing"
)

// fakeCID returns a 61-character text shaped like the format's CIDs.
func fakeCID(s string) string {
	h := sha256.Sum256([]byte(s))
	enc := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:]))
	return "bagaaihra" + enc[:52]
}

// bigValueData holds one service result whose value is a JSON string of n bytes.
func bigValueData(n int) *Data {
	d := New()
	peer := "12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD"
	val := `"` + strings.Repeat("x", n-2) + `"`
	vcid, tcid, scid := fakeCID(val), fakeCID("tetraplet"), fakeCID("service")
	d.CidInfo.ValueStore[vcid] = val
	d.CidInfo.TetrapletStore[tcid] = Tetraplet{PeerPK: peer, ServiceID: "svc", FunctionName: "get"}
	d.CidInfo.ServiceResultStore[scid] = ServiceResultAgg{ValueCID: vcid, ArgumentHash: fakeCID("[]"), TetrapletCID: tcid}
	d.Trace = []State{{Kind: StateCall, Call: CallResult{Kind: CallExecuted, Value: ValueRef{Kind: ValueScalar, CID: scid}}}}
	d.LastCallRequestID = 1
	d.Signatures["\x00"+strings.Repeat("k", 32)] = "\x00" + strings.Repeat("s", 64)
	return d
}

// bigTraceData holds n trace states of every kind and a store entry per call.
func bigTraceData(n int) *Data {
	d := New()
	peers := []string{"12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD", "12D3KooWJbJFaZ3k5sNd8DjQgg3aERoKtBAnirEvPV8yp76kEXHB"}
	tcid := fakeCID("tetraplet")
	d.CidInfo.TetrapletStore[tcid] = Tetraplet{PeerPK: peers[0], ServiceID: "svc", FunctionName: "get", Lens: ".$.[0]"}
	for i := range n {
		var st State
		switch i % 6 {
		case 0:
			st = State{Kind: StatePar, Left: 3, Right: 2}
		case 1, 2:
			val := `{"i":` + strconv.Itoa(i) + `,"s":"value"}`
			vcid, scid := fakeCID(val), fakeCID("sr"+val)
			d.CidInfo.ValueStore[vcid] = val
			d.CidInfo.ServiceResultStore[scid] = ServiceResultAgg{ValueCID: vcid, ArgumentHash: fakeCID("[]"), TetrapletCID: tcid}
			st = State{Kind: StateCall, Call: CallResult{Kind: CallExecuted, Value: ValueRef{Kind: ValueStream, CID: scid, Generation: uint32(i % 7)}}}
		case 3:
			st = State{Kind: StateCall, Call: CallResult{Kind: CallSentBy, SenderPeer: peers[i%2], WithCallID: true, CallID: uint32(i)}}
		case 4:
			st = State{Kind: StateAp, Gens: []uint32{uint32(i % 5)}}
		case 5:
			st = State{Kind: StateFold, Lore: []FoldLore{{ValuePos: uint32(i - 3), Desc: []SubTraceDesc{{BeginPos: uint32(i + 1), Len: 1}, {BeginPos: uint32(i + 2), Len: 0}}}}}
		}
		d.Trace = append(d.Trace, st)
	}
	d.LastCallRequestID = uint32(n)
	d.Signatures["\x00"+strings.Repeat("k", 32)] = "\x00" + strings.Repeat("s", 64)
	return d
}

var benchInputs = []struct {
	name string
	data func() *Data
}{
	{"value1MB", func() *Data { return bigValueData(1 << 20) }},
	{"value5MB", func() *Data { return bigValueData(5 << 20) }},
	{"trace100k", func() *Data { return bigTraceData(100_000) }},
}

func BenchmarkDecode(b *testing.B) {
	for _, in := range benchInputs {
		blob := Encode(in.data())
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(blob)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(blob, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, in := range benchInputs {
		d := in.data()
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(Encode(d))))
			b.ReportAllocs()
			for b.Loop() {
				Encode(d)
			}
		})
	}
}

func TestBenchInputsRoundTrip(t *testing.T) {
	for _, in := range benchInputs {
		d := in.data()
		got, err := Decode(Encode(d), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		checkRoundTrip(t, got)
	}
}

// TestEncodeUnsharedReferences encodes data whose trace refers to CIDs that no store
// holds, so that Encode's size estimate (which counts such references as shared) falls
// short, across the sizes where the envelope's length header grows.
func TestEncodeUnsharedReferences(t *testing.T) {
	for _, n := range []int{1, 3, 4, 5, 700, 771, 800} { // 3, 4 and 771 on: a longer header than estimated
		d := New()
		for i := range n {
			d.Trace = append(d.Trace, State{Kind: StateCall, Call: CallResult{Kind: CallExecuted, Value: ValueRef{Kind: ValueScalar, CID: fakeCID(strconv.Itoa(i))}}})
		}
		if est, enc := sizeEstimate(d, true), Encode(d); len(enc) <= est {
			t.Fatalf("%d states: the estimate %d is not short of the %d bytes written", n, est, len(enc))
		}
		checkRoundTrip(t, d)
	}
}
