package data

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cascadep2p/cascade/air/internal/corpustest"
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
	// probes: damaged archives the AVM must reject, and the envelope table
	probes := map[string]string{}
	malformed := map[string]bool{}
	envCases := map[string]envelopeCase{}
	for _, m := range malformedArchives(t) {
		name := "archive: " + m.name
		probes[name] = base64.StdEncoding.EncodeToString(envelope(m.inner))
		malformed[name] = true
	}
	for _, e := range envelopeCases(t) {
		name := "envelope: " + e.name
		probes[name] = base64.StdEncoding.EncodeToString(e.in)
		envCases[name] = e
	}
	pin, err := json.Marshal(probes)
	if err != nil {
		t.Fatal(err)
	}
	probeFile := filepath.Join(t.TempDir(), "probes.json")
	if err := os.WriteFile(probeFile, pin, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "avm_accepts.mjs"), file, probeFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	invs := loadInvocations(t)
	humans, replays, probed := 0, 0, 0
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
		case "probe":
			probed++
			raw, _ := base64.StdEncoding.DecodeString(probes[line.Name])
			if malformed[line.Name] {
				if !strings.HasPrefix(line.Text, "failed to deserialize data: ") || line.RetCode != 2 ||
					!strings.HasPrefix(line.ErrorMessage, "an error occurred while data deserialization: Data(Validation(") {
					t.Errorf("%s: the AVM did not reject it as a bad archive: %q, %d %q", line.Name, line.Text, line.RetCode, line.ErrorMessage)
				}
				continue
			}
			if got := humanText(raw); got != line.Text {
				t.Errorf("%s: to_human_readable_data\n got %q\nwant %q", line.Name, got, line.Text)
			}
			_, err := Decode(raw, Limits{})
			var de *DecodeError
			switch {
			case err == nil:
				if line.RetCode != 0 {
					t.Errorf("%s: accepted, the AVM says %d %q", line.Name, line.RetCode, line.ErrorMessage)
				}
			case errors.As(err, &de):
				if de.RetCode() != line.RetCode || de.AVMMessage() != line.ErrorMessage {
					t.Errorf("%s: got %d %q\nthe AVM says %d %q", line.Name, de.RetCode(), de.AVMMessage(), line.RetCode, line.ErrorMessage)
				}
			default:
				t.Errorf("%s: %v", line.Name, err)
			}
			if want := envCases[line.Name].msg; want != line.ErrorMessage {
				t.Errorf("%s: the AVM's message changed from the recorded %q", line.Name, want)
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
	if humans == 0 || replays == 0 || probed != len(probes) {
		t.Fatalf("node printed %d views, %d replays and %d of %d probes\n%s", humans, replays, probed, len(probes), stderr.String())
	}
	t.Logf("AVM read %d of our blobs, replayed %d invocations on them, and answered %d probes as we do", humans, replays, probed)
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
	type record struct {
		Invocations []struct {
			Index int `json:"index"`
			corpusInvocation
		} `json:"invocations"`
	}
	out := map[string]corpusInvocation{}
	corpustest.Each(t, func(name string, c *record) {
		for _, inv := range c.Invocations {
			out[name+"/"+strconv.Itoa(inv.Index)] = inv.corpusInvocation
		}
	})
	return out
}
