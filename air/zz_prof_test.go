package air

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkScenario(b *testing.B) {
	dir := os.Getenv("SCEN")
	if dir == "" {
		b.Skip()
	}
	script, _ := os.ReadFile(filepath.Join(dir, "script.air"))
	prev, _ := os.ReadFile(filepath.Join(dir, "prev_data.bin"))
	cur, _ := os.ReadFile(filepath.Join(dir, "cur_data.bin"))
	mb, _ := os.ReadFile(filepath.Join(dir, "meta.json"))
	var m struct {
		Params struct {
			InitPeerID    string `json:"init_peer_id"`
			CurrentPeerID string `json:"current_peer_id"`
			ParticleID    string `json:"particle_id"`
			Timestamp     uint64 `json:"timestamp"`
			TTL           uint32 `json:"ttl"`
			SecretKeyHex  string `json:"secret_key_hex"`
		} `json:"params"`
		CallResults [][2]json.RawMessage `json:"call_results"`
	}
	json.Unmarshal(mb, &m)
	p := DefaultRunParameters()
	p.InitPeerID, p.CurrentPeerID, p.ParticleID = m.Params.InitPeerID, m.Params.CurrentPeerID, m.Params.ParticleID
	p.Timestamp, p.TTL = m.Params.Timestamp, m.Params.TTL
	p.SecretKey, _ = hex.DecodeString(m.Params.SecretKeyHex)
	cr := CallResults{}
	for _, e := range m.CallResults {
		var id uint32
		json.Unmarshal(e[0], &id)
		var r struct {
			RetCode int32  `json:"ret_code"`
			Result  string `json:"result"`
		}
		json.Unmarshal(e[1], &r)
		cr[id] = CallResult{r.RetCode, r.Result}
	}
	o := Invoke(string(script), prev, cur, p, cr)
	b.Logf("ret %d %s", o.RetCode, o.ErrorMessage)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Invoke(string(script), prev, cur, p, cr)
	}
}
