package value_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cascadep2p/cascade/air/cid"
	"github.com/cascadep2p/cascade/air/value"
)

// TestCorpusValueStore checks every value_store entry of the conformance corpus:
// the stored text is already in compact serde_json form (Marshal(Parse(text)) is
// the text itself) and its CID is the CID of that text.
func TestCorpusValueStore(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "conformance", "cases", "*.expected.json"))
	if len(files) == 0 {
		t.Skip("conformance corpus not available")
	}
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Invocations []struct {
				Data *struct {
					Data *struct {
						CidInfo struct {
							ValueStore map[string]string `json:"value_store"`
						} `json:"cid_info"`
					} `json:"data"`
				} `json:"data"`
			} `json:"invocations"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		for _, inv := range c.Invocations {
			if inv.Data == nil || inv.Data.Data == nil {
				continue
			}
			for key, text := range inv.Data.Data.CidInfo.ValueStore {
				v, err := value.Parse([]byte(text))
				if err != nil {
					t.Errorf("%s: %q: %v", filepath.Base(f), text, err)
					continue
				}
				if got := string(value.Marshal(v)); got != text {
					t.Errorf("%s: Marshal(Parse(%q)) = %q", filepath.Base(f), text, got)
				}
				if got := cid.FromValue(v); got != key {
					t.Errorf("%s: CID of %q = %s, stored under %s", filepath.Base(f), text, got, key)
				}
				n++
			}
		}
	}
	t.Logf("%d value_store entries checked", n)
}
