package sig

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"testing"

	"github.com/cascadep2p/cascade/air/internal/corpustest"
)

// corpusData is the part of the oracle's JSON view of interpreter data that
// signatures depend on.
type corpusData struct {
	Trace   []map[string]json.RawMessage `json:"trace"`
	CidInfo struct {
		TetrapletStore map[string]struct {
			PeerPK string `json:"peer_pk"`
		} `json:"tetraplet_store"`
		ServiceResultStore map[string]struct {
			TetrapletCID string `json:"tetraplet_cid"`
		} `json:"service_result_store"`
		CanonResultStore map[string]struct {
			Tetraplet string `json:"tetraplet"`
		} `json:"canon_result_store"`
	} `json:"cid_info"`
	Signatures map[string]string `json:"signatures"`
}

// producedCIDs groups the CIDs a trace says each peer produced: service results
// of executed scalar/stream and failed calls, and executed canon results, by the
// peer_pk of their tetraplet.
func producedCIDs(t *testing.T, d *corpusData) map[string][]string {
	byPeer := map[string][]string{}
	service := func(cid string) {
		sr, ok := d.CidInfo.ServiceResultStore[cid]
		if !ok {
			t.Fatalf("service result %s missing", cid)
		}
		tp, ok := d.CidInfo.TetrapletStore[sr.TetrapletCID]
		if !ok {
			t.Fatalf("tetraplet %s missing", sr.TetrapletCID)
		}
		byPeer[tp.PeerPK] = append(byPeer[tp.PeerPK], cid)
	}
	for _, state := range d.Trace {
		if raw, ok := state["call"]; ok {
			var call struct {
				Executed *struct {
					Scalar *string `json:"scalar"`
					Stream *struct {
						CID string `json:"cid"`
					} `json:"stream"`
				} `json:"executed"`
				Failed *string `json:"failed"`
			}
			if err := json.Unmarshal(raw, &call); err != nil {
				t.Fatal(err)
			}
			switch {
			case call.Failed != nil:
				service(*call.Failed)
			case call.Executed != nil && call.Executed.Scalar != nil:
				service(*call.Executed.Scalar)
			case call.Executed != nil && call.Executed.Stream != nil:
				service(call.Executed.Stream.CID)
			}
		}
		if raw, ok := state["canon"]; ok {
			var canon struct {
				Executed *string `json:"executed"`
			}
			if err := json.Unmarshal(raw, &canon); err != nil {
				t.Fatal(err)
			}
			if canon.Executed != nil {
				cr, ok := d.CidInfo.CanonResultStore[*canon.Executed]
				if !ok {
					t.Fatalf("canon result %s missing", *canon.Executed)
				}
				tp := d.CidInfo.TetrapletStore[cr.Tetraplet]
				byPeer[tp.PeerPK] = append(byPeer[tp.PeerPK], *canon.Executed)
			}
		}
	}
	return byPeer
}

// TestCorpusSignatures recomputes every signature recorded in the conformance
// corpus from the peers' oracle seeds and the CIDs their traces attribute to them.
func TestCorpusSignatures(t *testing.T) {
	const particleID = "air-oracle-particle"
	checked, withCanon := 0, 0
	type record struct {
		PeerIDs     map[string]string `json:"peer_ids"`
		Invocations []struct {
			Data *struct {
				Data *corpusData `json:"data"`
			} `json:"data"`
		} `json:"invocations"`
	}
	corpustest.Each(t, func(caseName string, c *record) {
		keys := map[string]*KeyPair{} // by peer id
		for name, id := range c.PeerIDs {
			seed := sha256.Sum256([]byte("air-oracle/" + name))
			k := mustKeyPair(t, seed[:])
			if k.PeerID() != id {
				t.Errorf("%s: peer %s has id %s, derived %s", caseName, name, id, k.PeerID())
			}
			keys[id] = k
		}
		for i, inv := range c.Invocations {
			if inv.Data == nil || inv.Data.Data == nil {
				continue
			}
			d := inv.Data.Data
			byPeer := producedCIDs(t, d)
			if len(d.CidInfo.CanonResultStore) > 0 {
				withCanon++
			}
			for pkB58, sigB58 := range d.Signatures {
				pk, err := Base58Decode(pkB58)
				if err != nil {
					t.Fatal(err)
				}
				want, err := Base58Decode(sigB58)
				if err != nil {
					t.Fatal(err)
				}
				id, err := PeerIDFromPublicKeyRaw(pk)
				if err != nil {
					t.Fatalf("%s #%d: key %s: %v", caseName, i, pkB58, err)
				}
				k, ok := keys[id]
				if !ok {
					t.Fatalf("%s #%d: signature by unknown peer %s", caseName, i, id)
				}
				if !bytes.Equal(k.PublicKeyRaw(), pk) {
					t.Errorf("%s #%d: public key of %s differs", caseName, i, id)
				}
				cids := byPeer[id]
				if got := k.Sign(cids, particleID); !bytes.Equal(got, want) {
					t.Errorf("%s #%d: signature of %s over %d CIDs differs:\n got %s\nwant %s",
						caseName, i, id, len(cids), Base58Encode(got), sigB58)
				}
				if err := Verify(pk, want, cids, particleID); err != nil {
					t.Errorf("%s #%d: Verify: %v", caseName, i, err)
				}
				if len(cids) > 0 {
					// Dropping a CID must break the signature.
					if err := Verify(pk, want, slices.Clone(cids[1:]), particleID); err == nil {
						t.Errorf("%s #%d: Verify accepted a shortened CID list", caseName, i)
					}
				}
				checked++
			}
			for id := range byPeer {
				if _, ok := d.Signatures[Base58Encode(keys[id].PublicKeyRaw())]; !ok {
					t.Errorf("%s #%d: peer %s produced CIDs but did not sign", caseName, i, id)
				}
			}
		}
	})
	if checked == 0 {
		t.Fatal("no signatures checked")
	}
	t.Logf("%d signatures reproduced (%d data sets with canon results)", checked, withCanon)
}
