package cid

import (
	"testing"

	"github.com/cascadep2p/cascade/air/internal/corpustest"
	"github.com/cascadep2p/cascade/air/value"
)

// TestCorpusTetraplets recomputes the CID of every tetraplet_store entry of the
// conformance corpus from its compact JSON text, fields in AquaVM's order.
func TestCorpusTetraplets(t *testing.T) {
	type tetraplet struct {
		PeerPK       string `json:"peer_pk"`
		ServiceID    string `json:"service_id"`
		FunctionName string `json:"function_name"`
		Lens         string `json:"lens"`
	}
	type stores struct {
		TetrapletStore map[string]tetraplet `json:"tetraplet_store"`
	}
	n := 0
	corpustest.EachCidInfo(t, func(name string, ci *stores) {
		for key, tp := range ci.TetrapletStore {
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
				t.Errorf("%s: CID of %s = %s, stored under %s", name, b, got, key)
			}
			if err := Verify(key, b); err != nil {
				t.Errorf("Verify: %v", err)
			}
			n++
		}
	})
	t.Logf("%d tetraplet_store entries checked", n)
}
