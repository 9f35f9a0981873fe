package parser

import (
	"testing"

	"github.com/cascadep2p/cascade/air/ast"
)

// printCases pairs instructions with their expected String().
var printCases = []struct{ script, want string }{
	{`(call "local_peer_id" ("service_id_1" "local_fn_name") [] result_1)`,
		`call "local_peer_id" ("service_id_1" "local_fn_name") [] result_1`},
	{`(call %init_peer_id% (s f) [a 1 -2 1.50 -0.0 true "x y" [] %timestamp% %ttl%])`,
		`call %init_peer_id% (s f) [a 1 -2 1.5 -0 true "x y" [] %timestamp% %ttl%] `},
	{`(call p.$.a.[0].[i]! ("s" #$c.$.x) [:error: :error:.$.message %last_error%.$.msg] $out)`,
		`call p.$.a.[0].[i] ("s" #$c.$.x) [:error: :error:.$.message %last_error%.$.msg] $out`},
	{`(ap x.length y)`, `ap x.length y`},
	{`(ap #$cc.$[0] $s)`, `ap #$cc.$.[0] $s`},
	{`(ap ("k" #%mm.$.a) %m)`, `ap ("k" #%mm.$.a) %m`},
	{`(ap (42 v) %m)`, `ap (42 v) %m`},
	{`(canon %init_peer_id% $s #$c)`, `canon %init_peer_id% $s #$c`},
	{`(canon "p" %m #%c)`, `canon "p" %m #%c`},
	{`(canon p %m sc)`, `canon p %m sc`},
	{`(seq (null) (never))`, `seq`},
	{`(par (null) (null))`, `par`},
	{`(xor (null) (null))`, `xor`},
	{`(null)`, `null`},
	{`(never)`, `never`},
	{`(match x "a" (null))`, `match x "a"`},
	{`(mismatch x 12345.6789 (null))`, `mismatch x 12345.6789`},
	{`(fail 5 "m")`, `fail 5 "m"`},
	{`(fail x.$.a)`, `fail x.$.a`},
	{`(fail #$c.$.[1])`, `fail #$c.$.[1]`},
	{`(fail %last_error%)`, `fail %last_error%`},
	{`(fail :error:)`, `fail :error:`},
	{`(fold [] i (null))`, `fold [] i`},
	{`(fold $s i (next i) (null))`, `fold $s i`},
	{`(fold %m i (null))`, `fold %m i`},
	{`(fold #%m.$.k i (null))`, `fold #%m.$.k i`},
	{`(next i)`, `next i`},
	{`(new $s (null))`, `new $s`},
	{`(new #%m (null))`, `new #%m`},
}

// parseUnchecked parses without validation (the print cases use undefined variables).
func parseUnchecked(t *testing.T, s string) ast.Instruction {
	t.Helper()
	d := newAirDriver(s)
	f := fastParser{d: d, src: d.src}
	in, ok := f.parseScript()
	if !ok {
		t.Fatalf("%q does not parse", s)
	}
	return in
}

func TestInstructionString(t *testing.T) {
	for _, c := range printCases {
		if got := parseUnchecked(t, c.script).String(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.script, got, c.want)
		}
	}
}

func TestLambdaString(t *testing.T) {
	for in, want := range map[string]string{
		".$.a":               ".$.a",
		".$.[0]":             ".$.[0]",
		".$[0]":              ".$.[0]",
		".$.a.[1].[idx]!":    ".$.a.[1].[idx]",
		".$.a!.b":            ".$.a.b",
		".length":            ".length",
		".$.[4294967295].x-": ".$.[4294967295].x-",
	} {
		l, err := ParseLambda(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := l.String(); got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}

// TestInstructionStringAgainstAquaVM makes instructions fail at run time in the real
// AquaVM and compares the instruction text it puts in the error object
// (:error:.$.instruction) with String.
func TestInstructionStringAgainstAquaVM(t *testing.T) {
	const setup = `(seq (ap "str" x) (seq (ap "str" $s) (seq (canon %init_peer_id% $s #$cc) ` +
		`(seq (ap ("k" "v") %m) (seq (canon %init_peer_id% %m #%mm) (ap "s" i))))))`
	failing := []string{
		`(call %init_peer_id% ("s" "f") [x.$.a 1 -2 1.50 -0.0 0.1 123456.789 true "lit" %init_peer_id% %timestamp% %ttl% :error: :error:.$.message %last_error% %last_error%.$.msg []] r)`,
		`(call x.$.a ("s" "f") [] r)`,
		`(call %init_peer_id% (x.$.a "f") [])`,
		`(call %init_peer_id% ("s" x.$.[0]) [] $st)`,
		`(call #$cc.$.[7] ("s" "f") [] r)`,
		`(call #%mm.$.nokey ("s" "f") [] r)`,
		`(ap x.$.a.[0].[i]! $st)`,
		`(ap x.$[0] y)`,
		`(ap #$cc.$.[5] y)`,
		`(ap #%mm.$.nokey y)`,
		`(ap x.length y)`,
		`(ap (x.$.a "v") %m2)`,
		`(ap (#$cc.$.[9] 5) %m2)`,
		`(canon x.$.a $s #$c2)`,
		`(canon x.$.a %m #%m2)`,
		`(canon x.$.a %m sc)`,
		`(fold x.$.a it (null))`,
		`(fold x it (null) (null))`,
		`(fold #%mm.$.a it (null))`,
		`(match x.$.a 1.25 (null))`,
		`(mismatch x.$.[2] -7 (null))`,
		`(match x.$.a [] (null))`,
		`(fail 5 "msg")`,
		`(fail x)`,
		`(fail x.$.a)`,
		`(fail #$cc.$.[3])`,
		`(new $t (ap x.$.b y))`,
	}
	var scripts []string
	for _, in := range failing {
		scripts = append(scripts, `(seq `+setup+` (xor `+in+` (call %init_peer_id% ("t" "t") [:error:.$.instruction])))`)
	}
	res := runOracle(t, scripts)
	checked := 0
	for i, s := range scripts {
		in, err := Parse(s)
		if err != nil {
			t.Errorf("%s: %v", failing[i], err)
			continue
		}
		xor := in.(*ast.Seq).Right.(*ast.Xor)
		args := res[i].CallArgs
		if len(args) != 1 {
			t.Logf("%s: no error in AquaVM (%+v)", failing[i], res[i])
			continue
		}
		want, _ := args[0].(string)
		failed := xor.Left
		if n, ok := failed.(*ast.New); ok {
			failed = n.Body
		}
		if got := failed.String(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", failing[i], got, want)
		}
		checked++
	}
	if checked < len(failing)-3 {
		t.Errorf("only %d of %d instructions failed in AquaVM", checked, len(failing))
	}
}
