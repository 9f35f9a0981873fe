package sim

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sim/jsjson"
	"github.com/cascadep2p/cascade/air/value"
)

func js(t *testing.T, text string) any {
	t.Helper()
	v, err := jsjson.Parse([]byte(text))
	if err != nil {
		t.Fatalf("parse %s: %v", text, err)
	}
	return v
}

// corpus returns the case files and their parsed expected results.
func corpus(t *testing.T) ([]string, []*jsjson.Object) {
	t.Helper()
	dir, err := CorpusDir()
	if err != nil {
		t.Skipf("no conformance corpus: %v", err)
	}
	files, err := CaseFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var exps []*jsjson.Object
	for _, f := range files {
		b, err := os.ReadFile(ExpectedPath(f))
		if err != nil {
			t.Fatal(err)
		}
		exps = append(exps, js(t, string(b)).(*jsjson.Object))
	}
	return files, exps
}

func TestPeerKeysMatchCorpus(t *testing.T) {
	files, exps := corpus(t)
	for i, f := range files {
		c, err := LoadCase(f)
		if err != nil {
			t.Fatal(err)
		}
		ids := get(exps[i], "peer_ids").(*jsjson.Object)
		for _, n := range c.Peers {
			k, err := PeerKeyOf(n, c.PeerSeeds[n])
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := ids.Get(n); k.PeerID != want {
				t.Errorf("%s: peer %s: id %s, want %s", f, n, k.PeerID, want)
			}
		}
	}
}

func TestResolvedTraceMatchesCorpus(t *testing.T) {
	files, exps := corpus(t)
	n := 0
	for i, f := range files {
		for _, inv := range get(exps[i], "invocations").([]any) {
			got, want := ResolvedTrace(get(inv, "data")), get(inv, "trace")
			if !jsjson.Equal(got, want) {
				t.Errorf("%s invocation %v:\n got %s\nwant %s", filepath.Base(f), get(inv, "index"), jsjson.Stringify(got), jsjson.Stringify(want))
			}
			n++
		}
		fd := get(exps[i], "final_data").(*jsjson.Object)
		for _, p := range fd.Keys() {
			d, _ := fd.Get(p)
			if got, want := ResolvedTrace(d), get(get(exps[i], "final_trace"), p); !jsjson.Equal(got, want) {
				t.Errorf("%s final trace of %s:\n got %s\nwant %s", filepath.Base(f), p, jsjson.Stringify(got), jsjson.Stringify(want))
			}
		}
	}
	if n == 0 {
		t.Error("no invocations in the corpus")
	}
}

func TestAnswer(t *testing.T) {
	tables := map[string]map[string]any{
		"a": {
			"svc.f":   js(t, `42`),
			"svc.err": js(t, `{"ret_code": 3, "result": "boom"}`),
			"svc.raw": js(t, `{"result": {"ret_code": 1}}`),
			"svc.seq": js(t, `{"seq": [1, {"ret_code": 2, "result": "x"}, 3]}`),
			"svc.d":   js(t, `{"behaviour": "defer"}`),
			"svc.e":   js(t, `{"behaviour": "echo"}`),
			"svc.b":   js(t, `{"behaviour": "builtin"}`),
			"svc.v":   js(t, `{"behaviour": "value", "ret_code": null}`),
			"svc.bad": js(t, `{"behaviour": "nope"}`),
			"obj.g":   js(t, `{"ret_code": 0, "other": 1}`),
			"wild.*":  js(t, `"wild"`),
		},
		"*": {
			"svc.f":   js(t, `"star"`),
			"svc.seq": js(t, `{"seq": ["s1", "s2"]}`),
			"*":       js(t, `"any"`),
		},
	}
	s := NewServices(tables)
	args := []any{1.0, "x"}
	for _, tc := range []struct {
		peer, svc, fn string
		want          string // {ret_code, result} as JSON, or "defer" / "error"
	}{
		{"a", "svc", "f", `[0,42]`},
		{"b", "svc", "f", `[0,"star"]`},
		{"a", "svc", "err", `[3,"boom"]`},
		{"a", "svc", "raw", `[0,{"ret_code":1}]`},
		{"a", "svc", "seq", `[0,1]`},
		{"a", "svc", "seq", `[2,"x"]`},
		{"b", "svc", "seq", `[0,"s1"]`},
		{"a", "svc", "seq", `[0,3]`},
		{"a", "svc", "seq", `[0,3]`},
		{"c", "svc", "seq", `[0,"s2"]`},
		{"b", "svc", "seq", `[0,"s2"]`},
		{"a", "svc", "d", "defer"},
		{"a", "svc", "e", `[0,[1,"x"]]`},
		{"a", "svc", "b", `[1,"service svc.b not found"]`},
		{"a", "svc", "v", `[0,null]`},
		{"a", "svc", "bad", "error"},
		{"a", "obj", "g", `[0,{"ret_code":0,"other":1}]`},
		{"a", "wild", "anything", `[0,"wild"]`},
		{"a", "op", "identity", `[0,"any"]`},
	} {
		a, err := s.Answer(tc.peer, tc.svc, tc.fn, args)
		got := ""
		switch {
		case err != nil:
			got = "error"
		case a == nil:
			got = "defer"
		default:
			got = jsjson.Stringify([]any{float64(a.RetCode), a.Result})
		}
		if got != tc.want {
			t.Errorf("%s %s.%s = %s, want %s", tc.peer, tc.svc, tc.fn, got, tc.want)
		}
	}
	// with no table at all the built-ins answer
	a, _ := NewServices(nil).Answer("a", "op", "identity", args)
	if got := jsjson.Stringify(a.Result); got != `[1,"x"]` {
		t.Errorf("builtin fallback: %s", got)
	}
}

func TestBuiltin(t *testing.T) {
	for _, tc := range []struct{ fn, args, want string }{
		{"identity", `[]`, `[0,null]`},
		{"identity", `[{"a":1}]`, `[0,{"a":1}]`},
		{"identity", `[1,2]`, `[0,[1,2]]`},
		{"noop", `[1]`, `[0,null]`},
		{"array", `[1,"a",null]`, `[0,[1,"a",null]]`},
		{"concat", `[[1,2],3,[[4]],[]]`, `[0,[1,2,3,[4]]]`},
		{"concat", `[]`, `[0,[]]`},
		{"array_length", `[[1,2,3]]`, `[0,3]`},
		{"array_length", `["abc"]`, `[0,0]`},
		{"array_length", `[]`, `[0,0]`},
		{"add", `[0.1,0.2]`, `[0,0.30000000000000004]`},
		{"add", `[]`, `[0,0]`},
		{"add", `[9007199254740992,1]`, `[0,9007199254740992]`},
		{"add", `[1e308,1e308]`, `[0,null]`},
		{"add", `[1,"2"]`, `[1,"op.add expects numbers"]`},
		{"concat_strings", `["a",1.50,null,true,[1,[2,null]],{"k":1},1e21,-0.0]`, `[0,"a1.5nulltrue1,2,[object Object]1e+210"]`},
		{"nope", `[]`, `[1,"service op.nope not found"]`},
	} {
		args := js(t, tc.args).([]any)
		a := Builtin("op", tc.fn, args)
		if got := jsjson.Stringify([]any{float64(a.RetCode), a.Result}); got != tc.want {
			t.Errorf("op.%s%s = %s, want %s", tc.fn, tc.args, got, tc.want)
		}
	}
	if a := Builtin("svc", "identity", nil); a.RetCode != 1 || a.Result != "service svc.identity not found" {
		t.Errorf("svc.identity: %+v", a)
	}
}

func TestSubstituteAndParseCase(t *testing.T) {
	c, err := ParseCase([]byte(`{"peers":["p","q"],"script":"{{q}} {{p}}","services":{"p":{"s.f":["{{q}}",{"k":"{{p}}x"}]}},
		"particle":{"ttl":5},"max_invocations":0}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Particle.ID != DefaultParticleID || c.Particle.Timestamp != DefaultTimestamp || c.Particle.TTL != 5 || c.MaxInvocations != 0 {
		t.Errorf("particle %+v max %d", c.Particle, c.MaxInvocations)
	}
	p, _ := PeerKeyOf("p", "")
	q, _ := PeerKeyOf("q", "")
	var seen []air.RunParameters
	res, err := Run(c, func(script string, prev, cur []byte, rp air.RunParameters, cr air.CallResults) air.Outcome {
		if script != q.PeerID+" "+p.PeerID {
			t.Errorf("script %q", script)
		}
		seen = append(seen, rp)
		switch len(seen) {
		case 1:
			return air.Outcome{CallRequests: []air.CallRequest{{ID: 1, ServiceID: "s", FunctionName: "f"}}}
		case 3:
			return air.Outcome{}
		}
		if got := cr[1].Result; got != `["`+q.PeerID+`",{"k":"`+p.PeerID+`x"}]` {
			t.Errorf("call result %s", got)
		}
		return air.Outcome{NextPeerPKs: []string{"zz", q.PeerID, "aa"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Invocations) != 3 || res.Invocations[2].Peer != "q" || res.Invocations[2].Input.Kind != "particle" {
		t.Fatalf("invocations: %s", res.JSON())
	}
	if got := res.Invocations[1].NextPeerPKs; !slices.Equal(got, []string{q.PeerID, "aa", "zz"}) {
		t.Errorf("next_peer_pks %v", got)
	}
	if len(res.Undelivered) != 2 {
		t.Errorf("undelivered %+v", res.Undelivered)
	}
	rp := seen[0]
	if rp.InitPeerID != p.PeerID || rp.CurrentPeerID != p.PeerID || rp.TTL != 5 || rp.ParticleID != DefaultParticleID ||
		rp.AirSizeLimit != MemoryLimit || rp.HardLimitEnabled || string(rp.SecretKey) != string(p.Seed) {
		t.Errorf("run parameters %+v", rp)
	}
	if _, err := ParseCase([]byte(`{"peers":[],"script":""}`)); err == nil {
		t.Error("empty peers accepted")
	}
	c.Script = "{{r}}"
	if _, err := Run(c, nil); err == nil || err.Error() != "unknown peer placeholder {{r}}" {
		t.Errorf("unknown placeholder: %v", err)
	}
}

// replay is an InvokeFunc that plays back the outcomes recorded in an expected file and
// checks that the simulation hands each invocation the inputs the oracle handed it.
func replay(t *testing.T, name string, exp *jsjson.Object, c *Case) InvokeFunc {
	invs := get(exp, "invocations").([]any)
	peerIDs := get(exp, "peer_ids").(*jsjson.Object)
	raw := make([][]byte, len(invs))
	for i, inv := range invs {
		raw[i], _ = base64.StdEncoding.DecodeString(get(inv, "data_b64").(string))
	}
	last := map[string][]byte{}     // each peer's kept data
	sentBy := map[string][][]byte{} // pending deliveries per peer, FIFO
	i := 0
	return func(script string, prev, cur []byte, rp air.RunParameters, cr air.CallResults) air.Outcome {
		if i >= len(invs) {
			t.Fatalf("%s: more invocations than recorded", name)
		}
		inv := invs[i]
		peer := get(inv, "peer").(string)
		if id, _ := peerIDs.Get(peer); rp.CurrentPeerID != id {
			t.Errorf("%s #%d: current peer %s, want %s (%v)", name, i, rp.CurrentPeerID, peer, id)
		}
		if script != get(exp, "script_resolved") {
			t.Errorf("%s #%d: script differs", name, i)
		}
		if string(prev) != string(last[peer]) {
			t.Errorf("%s #%d: prev data differs", name, i)
		}
		in := get(inv, "input")
		if get(in, "kind") == "call_results" {
			if len(cur) != 0 {
				t.Errorf("%s #%d: data with call results", name, i)
			}
			want := get(in, "call_results").([]any)
			if len(cr) != len(want) {
				t.Errorf("%s #%d: %d call results, want %d", name, i, len(cr), len(want))
			}
			for _, w := range want {
				got := cr[uint32(get(w, "id").(float64))]
				if float64(got.RetCode) != get(w, "ret_code") || got.Result != jsjson.Stringify(get(w, "result")) {
					t.Errorf("%s #%d: call result %+v, want %s", name, i, got, jsjson.Stringify(w))
				}
			}
		} else {
			var want []byte
			if q := sentBy[peer]; len(q) > 0 {
				want, sentBy[peer] = q[0], q[1:]
			}
			if len(cr) != 0 || string(cur) != string(want) {
				t.Errorf("%s #%d: particle data differs", name, i)
			}
		}
		out := air.Outcome{
			RetCode:      int64(get(inv, "ret_code").(float64)),
			ErrorMessage: get(inv, "error_message").(string),
			Data:         raw[i],
		}
		byID := map[string]string{}
		for _, n := range peerIDs.Keys() {
			id, _ := peerIDs.Get(n)
			byID[id.(string)] = n
		}
		for _, pk := range get(inv, "next_peer_pks").([]any) {
			out.NextPeerPKs = append(out.NextPeerPKs, pk.(string))
			if n, ok := byID[pk.(string)]; ok {
				sentBy[n] = append(sentBy[n], raw[i])
			}
		}
		slices.Reverse(out.NextPeerPKs) // the simulation must sort them
		for _, r := range get(inv, "call_requests").([]any) {
			args, err := value.Parse([]byte(jsjson.Stringify(get(r, "args"))))
			if err != nil {
				t.Fatal(err)
			}
			var tets [][]data.Tetraplet
			for _, l := range get(r, "tetraplets").([]any) {
				var ts []data.Tetraplet
				for _, x := range l.([]any) {
					ts = append(ts, data.Tetraplet{PeerPK: get(x, "peer_pk").(string), ServiceID: get(x, "service_id").(string),
						FunctionName: get(x, "function_name").(string), Lens: get(x, "lens").(string)})
				}
				tets = append(tets, ts)
			}
			out.CallRequests = append(out.CallRequests, air.CallRequest{ID: uint32(get(r, "id").(float64)),
				ServiceID: get(r, "service").(string), FunctionName: get(r, "function").(string),
				Arguments: args.([]value.Value), Tetraplets: tets})
		}
		if len(raw[i]) > 0 {
			last[peer] = raw[i]
		}
		i++
		return out
	}
}

// TestReplayFull plays every corpus case back from its recorded outcomes: replay checks the
// inputs the simulation hands each invocation, and the result must match the recording by
// compare.mjs --strict-cids --strict-data and, but for the oracle field, byte for byte.
func TestReplayFull(t *testing.T) {
	files, exps := corpus(t)
	for i, f := range files {
		name := filepath.Base(f)
		c, _ := LoadCase(f)
		res, err := Run(c, replay(t, name, exps[i], c))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := CompareValues(exps[i], js(t, string(res.JSON())), CompareOptions{StrictCIDs: true, StrictData: true}); d != "" {
			t.Errorf("%s: %s", name, d)
			continue
		}
		exp, _ := os.ReadFile(ExpectedPath(f))
		want := deepCopy(js(t, string(exp))).(*jsjson.Object)
		got := res.ToJS()
		want.Set("oracle", nil)
		got.Set("oracle", nil)
		if jsjson.Indent(got, "  ") != jsjson.Indent(want, "  ") {
			t.Errorf("%s: output differs from the recorded text", name)
		}
	}
}

func TestCompare(t *testing.T) {
	files, exps := corpus(t)
	exp, _ := os.ReadFile(ExpectedPath(files[0]))
	opts := CompareOptions{StrictCIDs: true, StrictData: true}
	if d, err := Compare(exp, exp, opts); d != "" || err != nil {
		t.Fatalf("self compare: %q %v", d, err)
	}
	mod := deepCopy(exps[0]).(*jsjson.Object)
	inv := get(mod, "invocations").([]any)[0].(*jsjson.Object)
	inv.Set("ret_code", 7.0)
	inv.Set("data_b64", "ignored")
	if d := CompareValues(exps[0], mod, opts); d != "$.invocations[0].ret_code: expected 0 got 7" {
		t.Errorf("diff: %q", d)
	}
	inv.Set("ret_code", 0.0)
	inv.Set("next_peer_pks", []any{"b", "a"})
	want := get(exps[0], "invocations").([]any)[0]
	if pks := get(want, "next_peer_pks").([]any); len(pks) == 0 {
		if d := CompareValues(exps[0], mod, opts); d == "" {
			t.Error("extra next peers not noticed")
		}
	}
	// key order matters where compare.mjs keeps it (input), not in sorted data
	in := jsjson.NewObject()
	in.Set("from", nil)
	in.Set("kind", "start")
	a := js(t, `{"invocations":[{"input":{"kind":"start","from":null}}]}`)
	b := js(t, `{"invocations":[{"input":{"from":null,"kind":"start"}}]}`)
	if d := CompareValues(a, b, opts); d != `$.invocations[0].input: expected {"kind":"start","from":null} got {"from":null,"kind":"start"}` {
		t.Errorf("order diff: %q", d)
	}
	a = js(t, `{"invocations":[{"data":{"b":1,"a":2}}]}`)
	b = js(t, `{"invocations":[{"data":{"a":2,"b":1}}]}`)
	if d := CompareValues(a, b, opts); d != "" {
		t.Errorf("sorted data: %q", d)
	}
	a = js(t, `{"final_trace":{"p":[{"call":{"executed":{"unused":"bagaaiX"}}}]}}`)
	b = js(t, `{"final_trace":{"p":[{"call":{"executed":{"unused":"bagaaiY"}}}]}}`)
	if d := CompareValues(a, b, CompareOptions{}); d != "" {
		t.Errorf("loose cids: %q", d)
	}
	if d := CompareValues(a, b, opts); d == "" {
		t.Error("strict cids: no difference")
	}
}
