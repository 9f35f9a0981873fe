package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cascadep2p/cascade/air"
)

// spec names one benchmark scenario and says where it runs.
type spec struct {
	name  string
	mb    int  // the size class of the memory scenarios (MiB of payload); 0 for the others
	codec bool // also measured by the codec benchmark
}

// scenarioList is the benchmark: AquaVM's scenarios (junk/gen-bench-data at air-v0.62.0),
// the memory ones also at 1 and 5 MiB. The 100 MiB ones come last: they are the slowest,
// and the oracle traps on them.
func scenarioList() []spec {
	list := []spec{}
	for _, n := range []string{
		"null", "network-explore", "dashboard", "long-data", "big-values-data",
		"call-requests500", "call-results500", "parser-10000-100", "parser-calls-10000-100",
		"multiple-cids10", "multiple-peers8", "multiple-sigs30",
		"canon-map-key-by-lens", "canon-map-key-element-by-lens", "canon-map-multiple-keys",
		"canon-map-single-key", "canon-map-scalar-multiple-keys", "canon-map-scalar-single-key",
		"populate-map-multiple-keys", "populate-map-single-key",
	} {
		list = append(list, spec{name: n})
	}
	for _, mb := range []int{1, 5, 100} {
		for _, kind := range []string{"call-result", "lense", "map", "canon-map", "hybrid"} {
			list = append(list, spec{name: fmt.Sprintf("%s-%dmb", kind, mb), mb: mb, codec: true})
		}
	}
	return list
}

// meta is the meta.json gen.mjs writes next to a scenario's inputs.
type meta struct {
	Name    string `json:"name"`
	Comment string `json:"comment"`
	Params  struct {
		InitPeerID    string `json:"init_peer_id"`
		CurrentPeerID string `json:"current_peer_id"`
		ParticleID    string `json:"particle_id"`
		Timestamp     uint64 `json:"timestamp"`
		TTL           uint32 `json:"ttl"`
		SecretKeyHex  string `json:"secret_key_hex"`
	} `json:"params"`
	CallResults []callResultEntry `json:"call_results"`
	Sizes       struct {
		Script      int `json:"script"`
		PrevData    int `json:"prev_data"`
		CurData     int `json:"cur_data"`
		CallResults int `json:"call_results"`
		Input       int `json:"input"`
	} `json:"sizes"`
	Expect outcomeSummary `json:"expect"`
}

// callResultEntry is one [id, {ret_code, result}] pair of meta.json.
type callResultEntry struct {
	ID     uint32
	Result air.CallResult
}

// UnmarshalJSON reads the [id, {ret_code, result}] form.
func (e *callResultEntry) UnmarshalJSON(b []byte) error {
	var pair [2]json.RawMessage
	if err := json.Unmarshal(b, &pair); err != nil {
		return err
	}
	if err := json.Unmarshal(pair[0], &e.ID); err != nil {
		return err
	}
	var r struct {
		RetCode int32  `json:"ret_code"`
		Result  string `json:"result"`
	}
	if err := json.Unmarshal(pair[1], &r); err != nil {
		return err
	}
	e.Result = air.CallResult{RetCode: r.RetCode, Result: r.Result}
	return nil
}

// outcomeSummary is what both sides must agree on.
type outcomeSummary struct {
	RetCode      int64    `json:"ret_code"`
	ErrorMessage string   `json:"error_message"`
	NextPeerPKs  []string `json:"next_peer_pks"`
	CallRequests int      `json:"call_requests"`
	DataBytes    int      `json:"data_bytes"`
}

// scenario is one loaded scenario: the inputs of the benchmarked invocation.
type scenario struct {
	meta
	script      string
	prev, cur   []byte
	params      air.RunParameters
	callResults air.CallResults
}

// limit4G is the size limit the JS client sets (with the hard limit off).
const limit4G = 4 << 30

func loadScenario(dir string) (*scenario, error) {
	s := &scenario{}
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s.meta); err != nil {
		return nil, fmt.Errorf("%s: %v", dir, err)
	}
	script, err := os.ReadFile(filepath.Join(dir, "script.air"))
	if err != nil {
		return nil, err
	}
	s.script = string(script)
	if s.prev, err = os.ReadFile(filepath.Join(dir, "prev_data.bin")); err != nil {
		return nil, err
	}
	if s.cur, err = os.ReadFile(filepath.Join(dir, "cur_data.bin")); err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(s.Params.SecretKeyHex)
	if err != nil {
		return nil, fmt.Errorf("%s: secret key: %v", dir, err)
	}
	s.params = air.RunParameters{
		InitPeerID:          s.Params.InitPeerID,
		CurrentPeerID:       s.Params.CurrentPeerID,
		Timestamp:           s.Params.Timestamp,
		TTL:                 s.Params.TTL,
		KeyFormat:           0,
		SecretKey:           key,
		ParticleID:          s.Params.ParticleID,
		AirSizeLimit:        limit4G,
		ParticleSizeLimit:   limit4G,
		CallResultSizeLimit: limit4G,
		HardLimitEnabled:    false,
	}
	s.callResults = air.CallResults{}
	for _, e := range s.CallResults {
		s.callResults[e.ID] = e.Result
	}
	return s, nil
}
