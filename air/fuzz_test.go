package air

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/corpustest"
)

// corpusRun is one recorded invocation of the conformance corpus: the script, the peer
// it ran on, and the data it produced.
type corpusRun struct {
	script string
	init   string
	peer   string
	seed   []byte
	data   []byte
}

func loadCorpusRuns(t testing.TB) []corpusRun {
	type record struct {
		PeerIDs        map[string]string `json:"peer_ids"`
		InitPeer       string            `json:"init_peer"`
		ScriptResolved string            `json:"script_resolved"`
		Invocations    []struct {
			Peer    string `json:"peer"`
			DataB64 string `json:"data_b64"`
		} `json:"invocations"`
	}
	var runs []corpusRun
	corpustest.Each(t, func(name string, exp *record) {
		var c struct {
			PeerSeeds map[string]string `json:"peer_seeds"`
		}
		if cb, err := os.ReadFile(corpustest.CaseFile(name)); err == nil {
			_ = json.Unmarshal(cb, &c)
		}
		for _, inv := range exp.Invocations {
			raw, err := base64.StdEncoding.DecodeString(inv.DataB64)
			if err != nil || len(raw) == 0 || c.PeerSeeds[inv.Peer] != "" {
				continue
			}
			seed := sha256.Sum256([]byte("air-oracle/" + inv.Peer))
			runs = append(runs, corpusRun{script: exp.ScriptResolved, init: exp.PeerIDs[exp.InitPeer], peer: exp.PeerIDs[inv.Peer], seed: seed[:], data: raw})
		}
	})
	return runs
}

func corpusParams(r corpusRun) RunParameters {
	p := DefaultRunParameters()
	p.InitPeerID, p.CurrentPeerID = r.init, r.peer
	p.Timestamp, p.TTL = 1700000000000, 120000
	p.SecretKey, p.ParticleID = r.seed, "air-oracle-particle"
	return p
}

// mutateTrace changes numeric fields of trace states as directed by the fuzz input: par
// sizes, fold lore positions and lengths, generations, call ids.
func mutateTrace(d *data.Data, m []byte) {
	for len(m) >= 6 && len(d.Trace) > 0 {
		st := &d.Trace[int(m[0])%len(d.Trace)]
		field := m[1]
		v := binary.BigEndian.Uint32(m[2:6])
		if field&0x80 != 0 {
			v %= 16
		}
		m = m[6:]
		switch st.Kind {
		case data.StatePar:
			if field&1 == 0 {
				st.Left = v
			} else {
				st.Right = v
			}
		case data.StateAp:
			if field&1 == 0 && len(st.Gens) > 0 {
				st.Gens[0] = v
			} else {
				st.Gens = append(st.Gens, v)
			}
		case data.StateCall:
			switch field % 3 {
			case 0:
				st.Call.Value.Generation = v
			case 1:
				st.Call.CallID = v
			default:
				st.Call.Kind = data.CallKind(v % 3)
			}
		case data.StateFold:
			if len(st.Lore) == 0 {
				continue
			}
			l := &st.Lore[int(field)%len(st.Lore)]
			switch field % 4 {
			case 0:
				l.ValuePos = v
			case 1:
				if len(l.Desc) > 0 {
					l.Desc[0].Len = v
				}
			case 2:
				if len(l.Desc) > 1 {
					l.Desc[1].BeginPos = v
				}
			default:
				l.Desc = l.Desc[:len(l.Desc)/2]
			}
		case data.StateCanon:
			st.Canon.Executed = !st.Canon.Executed
		}
	}
}

// FuzzMerge feeds structurally damaged prev data (and the original as current data) to the
// interpreter: it must answer with an error code, never panic or hang.
func FuzzMerge(f *testing.F) {
	runs := loadCorpusRuns(f)
	for i := range runs {
		f.Add(uint16(i), []byte{0, 0, 0, 0, 0, 3, 1, 0x81, 0, 0, 0, 1})
	}
	f.Fuzz(func(t *testing.T, idx uint16, m []byte) {
		r := runs[int(idx)%len(runs)]
		d, err := data.Decode(r.data, data.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		mutateTrace(d, m)
		prev := data.Encode(d)
		o := Invoke(r.script, prev, r.data, corpusParams(r), nil)
		if strings.HasPrefix(o.ErrorMessage, "internal interpreter error") {
			t.Fatalf("panic inside the interpreter: %s", o.ErrorMessage)
		}
		o = Invoke(r.script, r.data, prev, corpusParams(r), nil)
		if strings.HasPrefix(o.ErrorMessage, "internal interpreter error") {
			t.Fatalf("panic inside the interpreter: %s", o.ErrorMessage)
		}
	})
}

// FuzzInvokeBytes feeds arbitrary bytes as current data.
func FuzzInvokeBytes(f *testing.F) {
	runs := loadCorpusRuns(f)
	for i := 0; i < len(runs); i += 7 {
		f.Add(uint16(i), runs[i].data)
	}
	f.Fuzz(func(t *testing.T, idx uint16, cur []byte) {
		r := runs[int(idx)%len(runs)]
		o := Invoke(r.script, nil, cur, corpusParams(r), nil)
		if strings.HasPrefix(o.ErrorMessage, "internal interpreter error") {
			t.Fatalf("panic inside the interpreter: %s", o.ErrorMessage)
		}
	})
}

// TestCorpusReplay re-runs every recorded invocation's data as current data on its own
// peer: no panics, and the data of the last invocation of each peer is accepted.
func TestCorpusReplay(t *testing.T) {
	for _, r := range loadCorpusRuns(t) {
		o := Invoke(r.script, r.data, r.data, corpusParams(r), nil)
		if strings.HasPrefix(o.ErrorMessage, "internal interpreter error") {
			t.Fatalf("panic: %s", o.ErrorMessage)
		}
	}
}
