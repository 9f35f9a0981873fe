package parser

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cascadep2p/cascade/air/ast"
)

func mustParse(t *testing.T, s string) ast.Instruction {
	t.Helper()
	in, err := Parse(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return in
}

func TestTreeAndPositions(t *testing.T) {
	s := `(seq (call %init_peer_id% ("svc" "fn") [x.$.a.[0] 7 -1.5 true [] :error:.$.message #$c] $out) ` +
		`(new $out (fold $out i (seq (ap i $s) (next i)) (null))))`
	at := func(sub string) ast.Pos { return ast.Pos(strings.Index(s, sub)) }
	in := parseUnchecked(t, s)
	seq := in.(*ast.Seq)
	call := seq.Left.(*ast.Call)
	want := &ast.Call{
		Peer:     ast.Value{Kind: ast.KindInitPeerID, Pos: at("%init")},
		Service:  ast.Value{Kind: ast.KindLiteral, Name: "svc", Pos: at(`"svc"`)},
		Function: ast.Value{Kind: ast.KindLiteral, Name: "fn", Pos: at(`"fn"`)},
		Args: []ast.Value{
			{Kind: ast.KindScalar, Name: "x", Pos: at("x.$"), Lambda: &ast.Lambda{Accessors: []ast.Accessor{
				{Kind: ast.FieldByName, Name: "a"}, {Kind: ast.ArrayAccess, Index: 0}}}},
			{Kind: ast.KindInt, Int: 7, Pos: at(" 7") + 1},
			ast.FloatValue(-1.5, at("-1.5")),
			{Kind: ast.KindBool, Bool: true, Pos: at("true")},
			{Kind: ast.KindEmptyArray, Pos: at("[]")},
			{Kind: ast.KindError, Pos: at(":error:"), Lambda: &ast.Lambda{Accessors: []ast.Accessor{{Kind: ast.FieldByName, Name: "message"}}}},
			{Kind: ast.KindCanonStream, Name: "#$c", Pos: at("#$c")},
		},
		Output: ast.Value{Kind: ast.KindStream, Name: "$out", Pos: at("$out")},
	}
	if !reflect.DeepEqual(call, want) {
		t.Errorf("call:\n got %#v\nwant %#v", call, want)
	}
	n := seq.Right.(*ast.New)
	if n.Arg != (ast.Value{Kind: ast.KindStream, Name: "$out", Pos: at("new $out") + 4}) ||
		n.Span != (ast.Span{Left: at("(new"), Right: ast.Pos(len(s) - 1)}) {
		t.Errorf("new: %+v", n)
	}
	f := n.Body.(*ast.Fold)
	if f.Kind != ast.FoldStream || f.Iterable.Name != "$out" || f.Iterable.Pos != at("fold $out")+5 || f.Iterator != "i" ||
		f.Span != (ast.Span{Left: at("(fold"), Right: ast.Pos(len(s) - 2)}) {
		t.Errorf("fold: %+v", f)
	}
	if _, ok := f.Last.(*ast.Null); !ok {
		t.Errorf("fold last: %#v", f.Last)
	}
	if next := f.Body.(*ast.Seq).Right.(*ast.Next); next.Iterator != "i" {
		t.Errorf("next: %+v", next)
	}
}

func TestValueForms(t *testing.T) {
	for src, want := range map[string]ast.Value{
		`%init_peer_id%`:       {Kind: ast.KindInitPeerID},
		`%timestamp%`:          {Kind: ast.KindTimestamp},
		`%ttl%`:                {Kind: ast.KindTTL},
		`%last_error%`:         {Kind: ast.KindLastError},
		`:error:`:              {Kind: ast.KindError},
		`"a b"`:                {Kind: ast.KindLiteral, Name: "a b"},
		`""`:                   {Kind: ast.KindLiteral},
		`-9223372036854775808`: {Kind: ast.KindInt, Int: -1 << 63},
		`+5`:                   {Kind: ast.KindInt, Int: 5},
		`1.`:                   ast.FloatValue(1, 0),
		`false`:                {Kind: ast.KindBool},
		`[]`:                   {Kind: ast.KindEmptyArray},
		`#c`:                   {Kind: ast.KindCanonStream, Name: "#c"},
		`#%m`:                  {Kind: ast.KindCanonStreamMap, Name: "#%m"},
		`#cc.length`:           {Kind: ast.KindCanonStream, Name: "#cc", Lambda: &ast.Lambda{Length: true}},
		`1abc`:                 {Kind: ast.KindScalar, Name: "1abc"},
		`a%b`:                  {Kind: ast.KindCanonStreamMap, Name: "a%b"},
	} {
		d := newAirDriver("(match " + src + " 1 (null))")
		f := fastParser{d: d, src: d.src}
		in, ok := f.parseScript()
		if !ok {
			t.Errorf("%s: does not parse", src)
			continue
		}
		got := in.(*ast.Match).Left
		want.Pos = 7
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", src, got, want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{"(seq\n  (call %init_peer_id% (\"svc\" \"f\") [])",
			"air can't be parsed:\nerror: \n  ┌─ script.air:2:39\n  │\n2 │   (call %init_peer_id% (\"svc\" \"f\") [])\n  │                                       ^ expected \"(\"\n\n"},
		{`(call %init_peer_id% ("svc" "f") [nowhere])`,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:1\n  │\n1 │ (call %init_peer_id% (\"svc\" \"f\") [nowhere])\n  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ variable 'nowhere' wasn't defined\n\n"},
		{`(null))`,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:7\n  │\n1 │ (null))\n  │       ^ expected <nothing>\n\n"},
		{``,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:1\n  │\n1 │ \n  │ ^ expected \"(\"\n\n"},
		{`(seq (null) (null) x)`,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:20\n  │\n1 │ (seq (null) (null) x)\n  │                    ^ expected \")\"\n\n"},
		{`(ap x.$.[] y)`,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:6\n  │\n1 │ (ap x.$.[] y)\n  │      ^^^^^ [ErrorRecovery { error: UnrecognizedToken { token: (4, CloseSquareBracket, 5), expected: [\"number_accessor\", \"string_accessor\"] }, dropped_tokens: [(4, CloseSquareBracket, 5)] }]\n\n"},
		{`(fail 0 "zero")`,
			"air can't be parsed:\nerror: \n  ┌─ script.air:1:1\n  │\n1 │ (fail 0 \"zero\")\n  │ ^^^^^^^^^^^^^^^ error code 0 with fail is unsupported\n\n"},
	} {
		_, err := Parse(c.script)
		if err == nil {
			t.Errorf("%q: no error", c.script)
		} else if err.Error() != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.script, err.Error(), c.want)
		}
	}
}

func TestErrorLabels(t *testing.T) {
	_, err := Parse(`(seq (call x ("s" "f") []) (seq (null) y))`)
	pe, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v", err, err)
	}
	want := []Label{{Start: 39, End: 40, Message: `expected "("`}, {Start: 5, End: 26, Message: "variable 'x' wasn't defined"}}
	if !reflect.DeepEqual(pe.Labels, want) {
		t.Errorf("labels %+v, want %+v", pe.Labels, want)
	}
}

func TestMaxNesting(t *testing.T) {
	nest := func(depth int) string {
		return strings.Repeat("(seq (null) ", depth-1) + "(null)" + strings.Repeat(")", depth-1)
	}
	mustParse(t, nest(MaxNesting))
	_, err := Parse(nest(MaxNesting + 1))
	if err == nil || !strings.Contains(err.Error(), "instructions are nested deeper than 10000 levels") {
		t.Fatalf("error %v", err)
	}
	// The limit is crossed at the "(null" inside the innermost seq.
	if l := err.(*Error).Labels[0]; l.Start != ast.Pos(len("(seq (null) ")*(MaxNesting-1)+len("(seq ")) || l.End != l.Start+1 {
		t.Errorf("label %+v", l)
	}
}
