package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Case is one scenario, in the JSON schema of the conformance corpus.
type Case struct {
	Name        string   `json:"name"`                  // also the file name, NAME.json
	Description string   `json:"description,omitempty"` // free text: how it was made
	Tags        []string `json:"tags,omitempty"`        // the features used, "malformed", mutation kinds
	Peers       []string `json:"peers"`                 // peer names, 1 to 4
	InitPeer    string   `json:"init_peer,omitempty"`   // the peer that starts the particle
	// Script is the AIR text; "{{name}}" stands for the peer id of peer name.
	Script string `json:"script"`
	// Services maps a peer name (or "*") to its canned answers, keyed "service.function".
	Services map[string]map[string]any `json:"services,omitempty"`
	// Particle overrides the particle's id, timestamp and ttl (nil: the defaults).
	Particle *Particle `json:"particle,omitempty"`
	// PeerSeeds gives some peers an explicit key seed (hex); the generator sets none.
	PeerSeeds map[string]string `json:"peer_seeds,omitempty"`
	// MaxInvocations bounds the simulation (the oracle then reports "truncated").
	MaxInvocations int `json:"max_invocations,omitempty"`
}

// Particle holds the particle fields a case may override (zero fields take the oracle's
// defaults).
type Particle struct {
	ParticleID string `json:"particle_id,omitempty"`
	Timestamp  uint64 `json:"timestamp,omitempty"`
	TTL        uint32 `json:"ttl,omitempty"`
}

// TagMalformed marks a case made by [Malformed]: it is compared on the return code and the
// error's position only.
const TagMalformed = "malformed"

// IsMalformed reports whether c was made by [Malformed].
func (c *Case) IsMalformed() bool {
	for _, t := range c.Tags {
		if t == TagMalformed {
			return true
		}
	}
	return false
}

// JSON returns the case as indented JSON text ending in a newline, the corpus's layout.
func (c *Case) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteFile writes the case to dir/NAME.json and returns that path.
func (c *Case) WriteFile(dir string) (string, error) {
	text, err := c.JSON()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, c.Name+".json")
	return p, os.WriteFile(p, text, 0o644)
}

// newRand returns the random stream of case index of seed: one PCG stream per case, so
// that every case is reproducible on its own.
func newRand(seed uint64, index int, kind uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(index)<<8|kind))
}

// ValidName is the name [Valid] gives case index of seed.
func ValidName(seed uint64, index int) string {
	return fmt.Sprintf("gen-s%d-%05d", seed, index)
}

// MalformedName is the name [Malformed] gives case index of seed.
func MalformedName(seed uint64, index int) string {
	return fmt.Sprintf("mal-s%d-%05d", seed, index)
}

// Batch returns n valid cases followed by m malformed ones, all of seed, numbered from 0.
func Batch(seed uint64, n, m int) []*Case {
	out := make([]*Case, 0, n+m)
	for i := range n {
		out = append(out, Valid(seed, i))
	}
	for i := range m {
		out = append(out, Malformed(seed, i))
	}
	return out
}
