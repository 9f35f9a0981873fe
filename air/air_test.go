package air

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sig"
	"github.com/cascadep2p/cascade/air/value"
)

type testPeer struct {
	seed []byte
	id   string
}

func newTestPeer(t testing.TB, name string) testPeer {
	seed := sha256.Sum256([]byte("air-test/" + name))
	kp, err := sig.NewKeyPair(seed[:])
	if err != nil {
		t.Fatal(err)
	}
	return testPeer{seed: seed[:], id: kp.PeerID()}
}

func params(init, cur testPeer) RunParameters {
	p := DefaultRunParameters()
	p.InitPeerID = init.id
	p.CurrentPeerID = cur.id
	p.Timestamp = 1700000000000
	p.TTL = 120000
	p.SecretKey = cur.seed
	p.ParticleID = "air-test-particle"
	return p
}

// answerFunc answers a call request; nil leaves it unanswered.
type answerFunc func(r CallRequest) *CallResult

func ok(v string) *CallResult { return &CallResult{RetCode: 0, Result: v} }

// runLocal runs a script on one peer until it issues no more call requests (at most 50
// rounds) and returns every outcome.
func runLocal(t testing.TB, script string, p testPeer, answer answerFunc) []Outcome {
	t.Helper()
	var prev []byte
	var outs []Outcome
	cr := CallResults{}
	for round := 0; round < 50; round++ {
		o := Invoke(script, prev, nil, params(p, p), cr)
		outs = append(outs, o)
		if len(o.Data) > 0 {
			prev = o.Data
		}
		cr = CallResults{}
		for _, r := range o.CallRequests {
			if a := answer(r); a != nil {
				cr[r.ID] = *a
			}
		}
		if len(cr) == 0 {
			return outs
		}
	}
	t.Fatalf("script did not settle in 50 rounds")
	return nil
}

// summary renders a trace compactly: one token per state.
func summary(t testing.TB, raw []byte) string {
	t.Helper()
	d, err := data.Decode(raw, data.Limits{})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var parts []string
	for _, s := range d.Trace {
		switch s.Kind {
		case data.StatePar:
			parts = append(parts, fmt.Sprintf("par(%d,%d)", s.Left, s.Right))
		case data.StateAp:
			parts = append(parts, fmt.Sprintf("ap%v", s.Gens))
		case data.StateFold:
			parts = append(parts, fmt.Sprintf("fold(%d)", len(s.Lore)))
		case data.StateCanon:
			if s.Canon.Executed {
				parts = append(parts, "canon")
			} else {
				parts = append(parts, "canon_sent")
			}
		case data.StateCall:
			c := s.Call
			switch {
			case c.Kind == data.CallSentBy && c.WithCallID:
				parts = append(parts, fmt.Sprintf("sent(%d)", c.CallID))
			case c.Kind == data.CallSentBy:
				parts = append(parts, "sent")
			case c.Kind == data.CallFailed:
				parts = append(parts, "failed")
			case c.Value.Kind == data.ValueScalar:
				parts = append(parts, "scalar")
			case c.Value.Kind == data.ValueStream:
				parts = append(parts, fmt.Sprintf("stream(%d)", c.Value.Generation))
			default:
				parts = append(parts, "unused")
			}
		}
	}
	return strings.Join(parts, " ")
}

// echoArgs answers every call with its arguments (one argument: that argument).
func echoArgs(r CallRequest) *CallResult {
	if r.ServiceID == "defer" {
		return nil
	}
	if r.ServiceID == "fail" {
		return &CallResult{RetCode: 7, Result: `"boom"`}
	}
	switch r.ServiceID {
	case "bad":
		return ok("not json")
	case "obj":
		return ok(`{"a":[5,6],"k":"v"}`)
	case "arr":
		return ok(`[1,2,3]`)
	}
	if len(r.Arguments) == 1 {
		return ok(string(value.Marshal(r.Arguments[0])))
	}
	return ok(string(value.Marshal(r.Arguments)))
}

func TestInstructions(t *testing.T) {
	a := newTestPeer(t, "a")
	b := newTestPeer(t, "b")
	tests := []struct {
		name, script string
		code         int64
		msg          string // substring of the error message
		trace        string // final trace summary
		lastArgs     string // JSON of the last call request's arguments, when set
	}{
		{name: "null", script: `(null)`, trace: ""},
		{name: "call local", script: `(call %init_peer_id% ("s" "f") ["x"] r)`, trace: "scalar"},
		{name: "call unused", script: `(call %init_peer_id% ("s" "f") [1])`, trace: "unused"},
		{name: "call remote", script: `(call "` + b.id + `" ("s" "f") [] r)`, trace: "sent"},
		{name: "seq", script: `(seq (call %init_peer_id% ("s" "f") [1] x) (call %init_peer_id% ("s" "g") [x 2] y))`, trace: "scalar scalar", lastArgs: `[1,2]`},
		{name: "seq stops at remote", script: `(seq (call "` + b.id + `" ("s" "f") [] x) (call %init_peer_id% ("s" "g") [] y))`, trace: "sent"},
		{name: "par", script: `(par (call %init_peer_id% ("s" "f") [1] $s) (call "` + b.id + `" ("s" "f") [] $s))`, trace: "par(1,1) stream(0) sent"},
		{name: "xor catches", script: `(xor (call %init_peer_id% ("fail" "f") [] x) (call %init_peer_id% ("s" "g") [%last_error%.$.error_code] y))`, trace: "failed scalar", lastArgs: `[10000]`},
		{name: "xor skips right", script: `(xor (null) (call %init_peer_id% ("s" "g") [] y))`, trace: ""},
		{name: "ap literal to stream", script: `(seq (ap 1 $s) (seq (ap "x" $s) (canon %init_peer_id% $s #$c)))`, trace: "ap[0] ap[0] canon"},
		{name: "ap lambda", script: `(seq (call %init_peer_id% ("obj" "f") [] x) (seq (ap x.$.a.[1] y) (call %init_peer_id% ("s" "g") [y] z)))`, trace: "scalar scalar", lastArgs: `[6]`},
		{name: "lambda by scalar", script: `(seq (call %init_peer_id% ("obj" "f") [] x) (seq (ap "k" f) (call %init_peer_id% ("s" "g") [x.$.[f]] z)))`, trace: "scalar scalar", lastArgs: `["v"]`},
		{name: "fold scalar next", script: `(seq (call %init_peer_id% ("arr" "f") [] xs) (fold xs i (seq (call %init_peer_id% ("s" "g") [i] $r) (next i))))`, trace: "scalar stream(0) stream(1) stream(2)"},
		{name: "fold reverse order", script: `(seq (call %init_peer_id% ("arr" "f") [] xs) (fold xs i (seq (next i) (call %init_peer_id% ("s" "g") [i] $r))))`, trace: "scalar stream(0) stream(1) stream(2)"},
		{name: "fold non-array", script: `(seq (call %init_peer_id% ("obj" "f") [] x) (fold x i (null)))`, code: CodeFoldIteratesOverNonArray, msg: "returned non-array value"},
		{name: "missing field", script: `(seq (call %init_peer_id% ("obj" "f") [] x) (call %init_peer_id% ("s" "g") [x.$.nope] y))`, code: CodeLambdaApplierError, msg: "does not contain element with field name = 'nope'"},
		{name: "index out of range", script: `(seq (call %init_peer_id% ("arr" "f") [] x) (call %init_peer_id% ("s" "g") [x.$.[7]] y))`, code: CodeLambdaApplierError, msg: "does not contain element for idx = '7'"},
		{name: "length of non-array", script: `(seq (call %init_peer_id% ("obj" "f") [] x) (call %init_peer_id% ("s" "g") [x.length] y))`, code: CodeLengthFunctorAppliedToNotArray},
		{name: "non-string triplet", script: `(seq (call %init_peer_id% ("arr" "f") [] x) (call x ("s" "g") [] y))`, code: CodeNonStringValueInTripletResolution},
		{name: "service error", script: `(call %init_peer_id% ("fail" "f") [] x)`, code: CodeLocalServiceError, msg: `Local service error, ret_code is 7, error message is '"boom"'`, trace: "failed"},
		{name: "result not json", script: `(call %init_peer_id% ("bad" "f") [] x)`, code: CodeLocalServiceError, msg: "can't be serialized or deserialized", trace: "failed"},
		{name: "fail literal", script: `(fail 5 "oops")`, code: CodeUserError, msg: `fail with '{"error_code":5,"instruction":"fail 5 \"oops\"","message":"oops","peer_id":"` + a.id + `"}' is used without corresponding xor`},
		{name: "fail bad object", script: `(seq (call %init_peer_id% ("arr" "f") [] x) (fail x))`, code: CodeInvalidErrorObjectError},
		{name: "fail last error", script: `(xor (fail 5 "oops") (fail %last_error%))`, code: CodeUserError},
		{name: "rethrow error", script: `(xor (xor (call %init_peer_id% ("fail" "f") [] x) (fail :error:)) (call %init_peer_id% ("s" "g") [:error:.$.error_code] y))`, trace: "failed scalar", lastArgs: `[10000]`},
		{name: "no error object", script: `(call %init_peer_id% ("s" "g") [:error: %last_error%] y)`, trace: "scalar", lastArgs: `[{"error_code":0,"message":""},{"error_code":0,"message":""}]`},
		{name: "shadowing", script: `(seq (ap 1 x) (ap 2 x))`, code: CodeShadowingIsNotAllowed},
		{name: "new allows reassignment", script: `(seq (ap 1 x) (new x (seq (ap 2 x) (call %init_peer_id% ("s" "g") [x] y))))`, trace: "scalar", lastArgs: `[2]`},
		{name: "cleared by new", script: `(seq (ap 1 x) (new x (call %init_peer_id% ("s" "g") [x] y)))`, code: CodeVariableWasNotInitializedAfterNew},
		{name: "iterable shadowing", script: `(seq (call %init_peer_id% ("arr" "f") [] xs) (fold xs i (call %init_peer_id% ("s" "g") [] i)))`, code: CodeIterableShadowing},
		{name: "unsupported map key", script: `(seq (call %init_peer_id% ("arr" "f") [] xs) (ap (xs 1) %m))`, code: CodeStreamMapError, msg: "unsupported type for %m map's key"},
		{name: "join on unset variable", script: `(par (call "` + b.id + `" ("s" "f") [] x) (call %init_peer_id% ("s" "g") [x] y))`, trace: "par(1,0) sent"},
		{name: "fold stream", script: `(seq (seq (ap 1 $s) (ap 2 $s)) (fold $s i (seq (call %init_peer_id% ("s" "g") [i] $r) (next i))))`, trace: "ap[0] ap[0] fold(2) stream(0) stream(1)"},
		{name: "fold stream last instruction", script: `(seq (seq (ap 1 $s) (ap 2 $s)) (seq (fold $s i (seq (null) (next i)) (null)) (call %init_peer_id% ("s" "g") [] r)))`, trace: "ap[0] ap[0] fold(2) scalar"},
		{name: "fold over empty array", script: `(fold [] i (call %init_peer_id% ("s" "g") [i] r))`, trace: ""},
		{name: "new stream", script: `(seq (new $s (seq (ap 1 $s) (canon %init_peer_id% $s #c1))) (canon %init_peer_id% $s #c2))`, trace: "ap[0] canon canon"},
		{name: "match", script: `(match 1 1 (call %init_peer_id% ("s" "g") [] r))`, trace: "scalar"},
		{name: "match fails", script: `(match 1 2 (null))`, code: CodeMatchValuesNotEqual, msg: "compared values do not match"},
		{name: "int and float differ", script: `(match 1 1.0 (null))`, code: CodeMatchValuesNotEqual},
		{name: "mismatch fails", script: `(mismatch "a" "a" (null))`, code: CodeMismatchValuesEqual, msg: "compared values do not mismatch"},
		{name: "never", script: `(seq (never) (call %init_peer_id% ("s" "g") [] r))`, trace: ""},
		{name: "canon remote", script: `(seq (ap 1 $s) (canon "` + b.id + `" $s #c))`, trace: "ap[0] canon_sent"},
		{name: "stream map canon lambda", script: `(seq (seq (ap ("k" 1) %m) (ap ("k" 2) %m)) (seq (canon %init_peer_id% %m #%cm) (call %init_peer_id% ("s" "g") [#%cm.$.k] r)))`, trace: "ap[0] ap[0] canon scalar", lastArgs: `[[1,2]]`},
		{name: "stream map to scalar", script: `(seq (seq (ap ("k" 1) %m) (ap ("k" 2) %m)) (seq (canon %init_peer_id% %m sc) (call %init_peer_id% ("s" "g") [sc] r)))`, trace: "ap[0] ap[0] canon scalar", lastArgs: `[{"k":1}]`},
		{name: "timestamp and ttl", script: `(call %init_peer_id% ("s" "g") [%timestamp% %ttl%] r)`, trace: "scalar", lastArgs: `[1700000000000,120000]`},
		{name: "length functor", script: `(seq (ap 1 $s) (seq (canon %init_peer_id% $s #cs) (call %init_peer_id% ("s" "g") [#cs.length] r)))`, trace: "ap[0] canon scalar", lastArgs: `[1]`},
		{name: "comments", script: "; leading\n(null) ; trailing", trace: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var lastArgs string
			outs := runLocal(t, tc.script, a, func(r CallRequest) *CallResult {
				lastArgs = string(value.Marshal(r.Arguments))
				return echoArgs(r)
			})
			o := outs[len(outs)-1]
			if o.RetCode != tc.code {
				t.Fatalf("ret_code %d (%s), want %d", o.RetCode, o.ErrorMessage, tc.code)
			}
			if tc.msg != "" && !strings.Contains(o.ErrorMessage, tc.msg) {
				t.Fatalf("message %q does not contain %q", o.ErrorMessage, tc.msg)
			}
			if tc.code == CodeAIRParseError {
				return
			}
			if tc.code != 0 && tc.trace == "" {
				return
			}
			if got := summary(t, o.Data); got != tc.trace {
				t.Errorf("trace %q, want %q", got, tc.trace)
			}
			if tc.lastArgs != "" && lastArgs != tc.lastArgs {
				t.Errorf("last call arguments %s, want %s", lastArgs, tc.lastArgs)
			}
		})
	}
}

func TestPreparationAndDataErrors(t *testing.T) {
	a := newTestPeer(t, "a")
	b := newTestPeer(t, "b")
	script := `(seq (call "` + a.id + `" ("s" "f") [1] x) (call "` + b.id + `" ("s" "g") [x] y))`
	outs := runLocal(t, script, a, echoArgs)
	good := outs[len(outs)-1]
	if good.RetCode != 0 || len(good.NextPeerPKs) != 1 || good.NextPeerPKs[0] != b.id {
		t.Fatalf("setup: %+v", good)
	}
	atB := func(prev, cur []byte, cr CallResults, mutate func(*RunParameters)) Outcome {
		p := params(a, b)
		if mutate != nil {
			mutate(&p)
		}
		return Invoke(script, prev, cur, p, cr)
	}
	// B accepts the data and asks for its call.
	if o := atB(nil, good.Data, nil, nil); o.RetCode != 0 || len(o.CallRequests) != 1 {
		t.Fatalf("B: %d %s", o.RetCode, o.ErrorMessage)
	}

	tamper := func(f func(d *data.Data)) []byte {
		d, err := data.Decode(good.Data, data.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		f(d)
		return data.Encode(d)
	}
	tests := []struct {
		name   string
		prev   []byte
		cur    []byte
		cr     CallResults
		mutate func(*RunParameters)
		script string
		code   int64
		msg    string
	}{
		{name: "parse error", cur: good.Data, script: "(seq (null)", code: CodeAIRParseError, msg: "air can't be parsed"},
		{name: "garbage data", cur: []byte{1, 2, 3}, code: CodeEnvelopeDeFailed},
		{name: "re-encoded data accepted", cur: tamper(func(d *data.Data) {}), code: 0},
		{name: "old interpreter", cur: bytes.Replace(good.Data, []byte("0.62.0"), []byte("0.60.0"), 1), code: CodeUnsupportedInterpreterVer, msg: "minimum `0.61.0` version is required"},
		{name: "tampered value", cur: tamper(func(d *data.Data) {
			for k := range d.CidInfo.ValueStore {
				d.CidInfo.ValueStore[k] = `"changed"`
			}
		}), code: CodeCidStoreVerificationError, msg: "Value mismatch"},
		{name: "forged signature", cur: tamper(func(d *data.Data) {
			for k, v := range d.Signatures {
				s := []byte(v)
				s[10] ^= 1
				d.Signatures[k] = string(s)
			}
		}), code: CodeDataSignatureCheckError, msg: "signature mismatch"},
		{name: "missing signature", cur: tamper(func(d *data.Data) {
			d.Signatures = map[string]string{}
		}), code: CodeDataSignatureCheckError, msg: "doens't match any available public key"},
		{name: "incompatible traces", prev: tamper(func(d *data.Data) {
			d.Trace[0] = data.State{Kind: data.StatePar}
		}), cur: good.Data, code: CodeTraceError},
		{name: "bad key format", cur: good.Data, mutate: func(p *RunParameters) { p.KeyFormat = 3 }, code: CodeMalformedKeyPairData},
		{name: "bad secret key", cur: good.Data, mutate: func(p *RunParameters) { p.SecretKey = []byte{1} }, code: CodeMalformedKeyPairData},
		{name: "hard air limit", cur: good.Data, mutate: func(p *RunParameters) { p.AirSizeLimit = 3; p.HardLimitEnabled = true }, code: CodeSizeLimitsExceeded, msg: "air size"},
		{name: "hard particle limit", cur: good.Data, mutate: func(p *RunParameters) { p.ParticleSizeLimit = 3; p.HardLimitEnabled = true }, code: CodeSizeLimitsExceeded, msg: "particle size"},
		{name: "soft limit continues", cur: good.Data, mutate: func(p *RunParameters) { p.ParticleSizeLimit = 3 }, code: 0},
		{name: "unprocessed call result", cur: good.Data, cr: CallResults{9: {Result: "1"}}, code: CodeUnprocessedCallResult, msg: "unprocessed call results"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := script
			if tc.script != "" {
				s = tc.script
			}
			p := params(a, b)
			if tc.mutate != nil {
				tc.mutate(&p)
			}
			o := Invoke(s, tc.prev, tc.cur, p, tc.cr)
			if o.RetCode != tc.code {
				t.Fatalf("ret_code %d (%s), want %d", o.RetCode, o.ErrorMessage, tc.code)
			}
			if !strings.Contains(o.ErrorMessage, tc.msg) {
				t.Fatalf("message %q does not contain %q", o.ErrorMessage, tc.msg)
			}
			if tc.code > 0 && tc.code < 30000 && tc.code/10000 != 1 && string(o.Data) != string(tc.prev) {
				t.Fatalf("a failed preparation must return the prev data unchanged")
			}
		})
	}
}

func TestStreamSizeLimit(t *testing.T) {
	a := newTestPeer(t, "a")
	// A recursive stream fold that keeps feeding its own stream.
	script := `(seq (ap 0 $s) (fold $s i (seq (ap i $s) (next i))))`
	o := Invoke(script, nil, nil, params(a, a), nil)
	if o.RetCode != CodeStreamSizeLimitExceeded {
		t.Fatalf("ret_code %d (%s), want %d", o.RetCode, o.ErrorMessage, CodeStreamSizeLimitExceeded)
	}
}
