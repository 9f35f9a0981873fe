package data

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRealAVMAcceptsOurBytes re-encodes every corpus blob with Encode and hands the bytes
// to the real AquaVM (testdata/avm_accepts.mjs through the shared oracle): its
// to_human_readable_data must show the recorded content, and replaying each recorded
// invocation with our bytes as prev_data and current data must give the recorded outcome.
func TestRealAVMAcceptsOurBytes(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	oracle := filepath.Join("..", "..", "..", "shared", "oracle")
	if _, err := os.Stat(filepath.Join(oracle, "node_modules")); err != nil {
		t.Skip("oracle node_modules not installed")
	}
	if testing.Short() {
		t.Skip("runs the real AVM; skipped with -short")
	}
	blobs := map[string]map[string]string{}
	want := map[string]corpusBlob{}
	for _, c := range loadCorpus(t) {
		caseName, idx, _ := strings.Cut(c.name, "/")
		if blobs[caseName] == nil {
			blobs[caseName] = map[string]string{}
		}
		want[c.name] = c
		if len(c.raw) == 0 {
			continue
		}
		d, err := Decode(c.raw, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		blobs[caseName][idx] = base64.StdEncoding.EncodeToString(Encode(d))
	}
	in, err := json.Marshal(blobs)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "blobs.json")
	if err := os.WriteFile(file, in, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "avm_accepts.mjs"), file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	invs := loadInvocations(t)
	humans, replays := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var line struct {
			Kind         string          `json:"kind"`
			Name         string          `json:"name"`
			View         json.RawMessage `json:"view"`
			Text         string          `json:"text"`
			RetCode      int             `json:"ret_code"`
			ErrorMessage string          `json:"error_message"`
			NextPeerPks  []string        `json:"next_peer_pks"`
			CallRequests json.RawMessage `json:"call_requests"`
			Data         json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("bad line from node: %v: %s", err, sc.Bytes())
		}
		switch line.Kind {
		case "human":
			humans++
			jsonEqual(t, line.Name+" (to_human_readable_data of our bytes)", line.View, want[line.Name].data)
			// and our JSON view is that exact text
			if d, err := Decode(want[line.Name].raw, Limits{}); err == nil {
				if j, _ := ToHumanJSON(d); string(j) != line.Text {
					t.Errorf("%s: ToHumanJSON differs from the AVM's text\n got: %s\nwant: %s", line.Name, j, line.Text)
				}
			}
		case "invoke":
			replays++
			rec := invs[line.Name]
			if line.RetCode != rec.RetCode || line.ErrorMessage != rec.ErrorMessage {
				t.Errorf("%s: ret_code %d %q, recorded %d %q", line.Name, line.RetCode, line.ErrorMessage, rec.RetCode, rec.ErrorMessage)
			}
			if !reflect.DeepEqual(nilIfEmpty(line.NextPeerPks), nilIfEmpty(rec.NextPeerPks)) {
				t.Errorf("%s: next_peer_pks %v, recorded %v", line.Name, line.NextPeerPks, rec.NextPeerPks)
			}
			jsonEqual(t, line.Name+" call_requests", line.CallRequests, rec.CallRequests)
			jsonEqual(t, line.Name+" returned data", line.Data, rec.Data)
		}
	}
	if humans == 0 || replays == 0 {
		t.Fatalf("node printed %d views and %d replays\n%s", humans, replays, stderr.String())
	}
	t.Logf("AVM read %d of our blobs and replayed %d invocations on them", humans, replays)
}

// corpusInvocation is what the corpus recorded for one invocation.
type corpusInvocation struct {
	RetCode      int             `json:"ret_code"`
	ErrorMessage string          `json:"error_message"`
	NextPeerPks  []string        `json:"next_peer_pks"`
	CallRequests json.RawMessage `json:"call_requests"`
	Data         json.RawMessage `json:"data"`
}

func loadInvocations(t *testing.T) map[string]corpusInvocation {
	files, _ := filepath.Glob(filepath.Join(casesDir, "*.expected.json"))
	out := map[string]corpusInvocation{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Invocations []struct {
				Index int `json:"index"`
				corpusInvocation
			} `json:"invocations"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".expected.json")
		for _, inv := range c.Invocations {
			out[name+"/"+strconv.Itoa(inv.Index)] = inv.corpusInvocation
		}
	}
	return out
}
