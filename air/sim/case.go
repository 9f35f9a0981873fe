package sim

import (
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// Defaults of the oracle (DEFAULTS in oracle.mjs).
const (
	DefaultParticleID     = "air-oracle-particle"
	DefaultTimestamp      = 1700000000000
	DefaultTTL            = 120000
	DefaultMaxInvocations = 200
)

// Case is one scenario in the oracle's case schema (../shared/oracle/README.md, "Case schema").
type Case struct {
	Name        string
	Description string
	Tags        []string
	// Peers are the peer names; each gets a deterministic key (see PeerKeyOf).
	Peers []string
	// InitPeer starts the particle; empty means the first peer.
	InitPeer string
	// Script may hold {{name}} placeholders for peer ids.
	Script string
	// Services maps a peer name (or "*") to its table of canned answers, keyed by
	// "service.function", "service.*" or "*"; answers are jsjson values.
	Services map[string]map[string]any
	// Particle overrides the particle facts; nil means all defaults.
	Particle *Particle
	// PeerSeeds gives some peers an explicit 32-byte key seed, in hex.
	PeerSeeds map[string]string
	// MaxInvocations caps the number of interpreter calls; 0 means DefaultMaxInvocations.
	MaxInvocations int
}

// Particle holds the particle facts every peer runs with.
type Particle struct {
	ID        string
	Timestamp uint64 // ms since the epoch
	TTL       uint32 // ms
}

// DefaultParticle returns the oracle's default particle facts.
func DefaultParticle() Particle {
	return Particle{ID: DefaultParticleID, Timestamp: DefaultTimestamp, TTL: DefaultTTL}
}

// LoadCase reads a case file.
func LoadCase(path string) (*Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseCase(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseCase reads a case from its JSON text, numbers as JavaScript reads them.
func ParseCase(b []byte) (*Case, error) {
	v, err := jsjson.Parse(b)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*jsjson.Object)
	if !ok {
		return nil, errors.New("a case must be a JSON object")
	}
	c := &Case{}
	str := func(key string, dst *string) error {
		x, ok := o.Get(key)
		if !ok || x == nil {
			return nil
		}
		s, ok := x.(string)
		if !ok {
			return fmt.Errorf("case.%s must be a string", key)
		}
		*dst = s
		return nil
	}
	for key, dst := range map[string]*string{"name": &c.Name, "description": &c.Description, "init_peer": &c.InitPeer, "script": &c.Script} {
		if err := str(key, dst); err != nil {
			return nil, err
		}
	}
	if x, ok := o.Get("tags"); ok && x != nil {
		c.Tags, err = stringList(x, "case.tags")
		if err != nil {
			return nil, err
		}
	}
	x, _ := o.Get("peers")
	if c.Peers, err = stringList(x, "case.peers"); err != nil || len(c.Peers) == 0 {
		return nil, errors.New("case.peers must be a non-empty array")
	}
	if x, ok := o.Get("services"); ok && x != nil {
		so, ok := x.(*jsjson.Object)
		if !ok {
			return nil, errors.New("case.services must be an object")
		}
		c.Services = map[string]map[string]any{}
		for _, peer := range so.Keys() {
			t, _ := so.Get(peer)
			to, ok := t.(*jsjson.Object)
			if !ok {
				return nil, fmt.Errorf("case.services[%q] must be an object", peer)
			}
			table := map[string]any{}
			for _, k := range to.Keys() {
				table[k], _ = to.Get(k)
			}
			c.Services[peer] = table
		}
	}
	if x, ok := o.Get("particle"); ok && x != nil {
		po, ok := x.(*jsjson.Object)
		if !ok {
			return nil, errors.New("case.particle must be an object")
		}
		p := DefaultParticle()
		if v, ok := po.Get("particle_id"); ok {
			if p.ID, ok = v.(string); !ok {
				return nil, errors.New("case.particle.particle_id must be a string")
			}
		}
		if v, ok := po.Get("timestamp"); ok {
			f, ok := v.(float64)
			if !ok || f < 0 || f != math.Trunc(f) || f >= 1<<64 {
				return nil, errors.New("case.particle.timestamp must be a u64 integer")
			}
			p.Timestamp = uint64(f)
		}
		if v, ok := po.Get("ttl"); ok {
			f, ok := v.(float64)
			if !ok || f < 0 || f != math.Trunc(f) || f >= 1<<32 {
				return nil, errors.New("case.particle.ttl must be a u32 integer")
			}
			p.TTL = uint32(f)
		}
		c.Particle = &p
	}
	if x, ok := o.Get("peer_seeds"); ok && x != nil {
		so, ok := x.(*jsjson.Object)
		if !ok {
			return nil, errors.New("case.peer_seeds must be an object")
		}
		c.PeerSeeds = map[string]string{}
		for _, k := range so.Keys() {
			v, _ := so.Get(k)
			if v == nil {
				continue
			}
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("case.peer_seeds[%q] must be a hex string", k)
			}
			c.PeerSeeds[k] = s
		}
	}
	if x, ok := o.Get("max_invocations"); ok && jsjson.Truthy(x) {
		f, ok := x.(float64)
		if !ok || f < 1 || f != math.Trunc(f) || f > math.MaxInt32 {
			return nil, errors.New("case.max_invocations must be a positive integer")
		}
		c.MaxInvocations = int(f)
	}
	return c, nil
}

// stringList reads a JSON array of strings.
func stringList(x any, what string) ([]string, error) {
	a, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("%s must be an array of strings", what)
	}
	out := make([]string, len(a))
	for i, e := range a {
		if out[i], ok = e.(string); !ok {
			return nil, fmt.Errorf("%s must be an array of strings", what)
		}
	}
	return out, nil
}
