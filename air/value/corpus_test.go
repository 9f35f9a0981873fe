package value_test

import (
	"testing"

	"github.com/cascadep2p/cascade/air/cid"
	"github.com/cascadep2p/cascade/air/internal/corpustest"
	"github.com/cascadep2p/cascade/air/value"
)

// TestCorpusValueStore checks every value_store entry of the conformance corpus:
// the stored text is already in compact serde_json form (Marshal(Parse(text)) is
// the text itself) and its CID is the CID of that text.
func TestCorpusValueStore(t *testing.T) {
	type stores struct {
		ValueStore map[string]string `json:"value_store"`
	}
	n := 0
	corpustest.EachCidInfo(t, func(name string, ci *stores) {
		for key, text := range ci.ValueStore {
			v, err := value.Parse([]byte(text))
			if err != nil {
				t.Errorf("%s: %q: %v", name, text, err)
				continue
			}
			if got := string(value.Marshal(v)); got != text {
				t.Errorf("%s: Marshal(Parse(%q)) = %q", name, text, got)
			}
			if got := cid.FromValue(v); got != key {
				t.Errorf("%s: CID of %q = %s, stored under %s", name, text, got, key)
			}
			n++
		}
	})
	t.Logf("%d value_store entries checked", n)
}
