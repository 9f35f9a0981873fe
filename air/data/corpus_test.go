package data

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/cascadep2p/cascade/air/internal/corpustest"
)

// corpusBlob is one recorded interpreter output.
type corpusBlob struct {
	name string // case name and invocation index
	raw  []byte
	data json.RawMessage // the interpreter's own JSON view
}

func loadCorpus(t testing.TB) []corpusBlob {
	t.Helper()
	type record struct {
		Invocations []struct {
			Index   int             `json:"index"`
			Data    json.RawMessage `json:"data"`
			DataB64 string          `json:"data_b64"`
		} `json:"invocations"`
	}
	var out []corpusBlob
	corpustest.Each(t, func(name string, c *record) {
		for _, inv := range c.Invocations {
			raw, err := base64.StdEncoding.DecodeString(inv.DataB64)
			if err != nil {
				t.Fatalf("%s/%d: %v", name, inv.Index, err)
			}
			out = append(out, corpusBlob{name: name + "/" + strconv.Itoa(inv.Index), raw: raw, data: inv.Data})
		}
	})
	return out
}

func jsonEqual(t *testing.T, name string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: our JSON: %v", name, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: recorded JSON: %v", name, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: JSON view differs\n got: %s\nwant: %s", name, got, want)
	}
}

func TestCorpusDecode(t *testing.T) {
	n := 0
	for _, c := range loadCorpus(t) {
		if len(c.raw) == 0 {
			continue
		}
		n++
		d, err := Decode(c.raw, Limits{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		j, err := ToHumanJSON(d)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		jsonEqual(t, c.name, j, c.data)
		h, err := HumanReadable(c.raw)
		if err != nil || string(h) != string(j) {
			t.Errorf("%s: HumanReadable differs from Decode+ToHumanJSON: %v", c.name, err)
		}
	}
	t.Logf("%d blobs decoded", n)
}

func TestCorpusRoundTrip(t *testing.T) {
	n, same, ourTotal, avmTotal := 0, 0, 0, 0
	for _, c := range loadCorpus(t) {
		if len(c.raw) == 0 {
			continue
		}
		n++
		d, err := Decode(c.raw, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		enc := Encode(d)
		if len(enc) > len(c.raw) {
			t.Errorf("%s: encoded %d bytes, AVM wrote %d", c.name, len(enc), len(c.raw))
		}
		if est := EncodedSize(d) + envelopePrefixLen + 5; len(enc) > est {
			t.Errorf("%s: encoded %d bytes, estimate was %d", c.name, len(enc), est)
		}
		if string(enc) == string(c.raw) {
			same++
		}
		ourTotal += len(enc)
		avmTotal += len(c.raw)
		d2, err := Decode(enc, Limits{})
		if err != nil {
			t.Fatalf("%s: decoding our own bytes: %v", c.name, err)
		}
		d.Version, d.InterpreterVersion = FormatVersion, InterpreterVersion
		if !reflect.DeepEqual(d, d2) {
			t.Errorf("%s: content changed by the round trip", c.name)
		}
		if again := Encode(d2); string(again) != string(enc) {
			t.Errorf("%s: encoding is not deterministic", c.name)
		}
	}
	t.Logf("%d blobs re-encoded, %d byte-identical to the AVM's, %d bytes vs the AVM's %d", n, same, ourTotal, avmTotal)
}
