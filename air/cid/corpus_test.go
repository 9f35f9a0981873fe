package cid

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/cascadep2p/cascade/air/value"
)

// TestCorpusTetraplets recomputes the CID of every tetraplet_store entry of the
// conformance corpus from its compact JSON text, fields in AquaVM's order.
func TestCorpusTetraplets(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "conformance", "cases", "*.expected.json"))
	if len(files) == 0 {
		t.Skip("conformance corpus not available")
	}
	type tetraplet struct {
		PeerPK       string `json:"peer_pk"`
		ServiceID    string `json:"service_id"`
		FunctionName string `json:"function_name"`
		Lens         string `json:"lens"`
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
							TetrapletStore map[string]tetraplet `json:"tetraplet_store"`
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
			for key, tp := range inv.Data.Data.CidInfo.TetrapletStore {
				b := []byte(`{"peer_pk":`)
				b = value.AppendJSON(b, tp.PeerPK)
				b = append(b, `,"service_id":`...)
				b = value.AppendJSON(b, tp.ServiceID)
				b = append(b, `,"function_name":`...)
				b = value.AppendJSON(b, tp.FunctionName)
				b = append(b, `,"lens":`...)
				b = value.AppendJSON(b, tp.Lens)
				b = append(b, '}')
				if got := FromBytes(b); got != key {
					t.Errorf("%s: CID of %s = %s, stored under %s", filepath.Base(f), b, got, key)
				}
				if err := Verify(key, b); err != nil {
					t.Errorf("Verify: %v", err)
				}
				n++
			}
		}
	}
	t.Logf("%d tetraplet_store entries checked", n)
}
