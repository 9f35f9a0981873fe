package jsjson

import (
	"testing"
)

// The expected texts were printed by Node 20 (String(JSON.parse(in))).
func TestNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1.0", "1"},
		{"-0.0", "0"},
		{"-0", "0"},
		{"2.50", "2.5"},
		{"1e21", "1e+21"},
		{"-1e21", "-1e+21"},
		{"1e20", "100000000000000000000"},
		{"123e18", "123000000000000000000"},
		{"1e-7", "1e-7"},
		{"1e-6", "0.000001"},
		{"1.5e-6", "0.0000015"},
		{"0.000001234", "0.000001234"},
		{"-2.5e-10", "-2.5e-10"},
		{"123456789012345678", "123456789012345680"},
		{"9007199254740993", "9007199254740992"},
		{"12345678901234567890123", "1.2345678901234568e+22"},
		{"0.30000000000000004", "0.30000000000000004"},
		{"0.3333333333333333", "0.3333333333333333"},
		{"666666666666666.6", "666666666666666.6"},
		{"5e-324", "5e-324"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"},
		{"1.23456789e-300", "1.23456789e-300"},
		{"4294967296", "4294967296"},
		{"100", "100"},
		{"0.5", "0.5"},
		{"1e400", "null"},
	} {
		got, err := Number(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Number(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	a, b := 0.1, 0.2
	if got := FormatNumber(a + b); got != "0.30000000000000004" {
		t.Errorf("0.1+0.2 = %s", got)
	}
}

func TestParseStringify(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"b":1,"a":2,"10":3,"2":4,"b":5}`, `{"2":4,"10":3,"b":5,"a":2}`},
		{`{"01":1,"4294967295":2,"4294967294":3}`, `{"4294967294":3,"01":1,"4294967295":2}`},
		{` [1.0, -0.0, "a\u0001\"\\\/\n\u2028", true, null, {}, []] `, `[1,0,"a\u0001\"\\/\n` + "\u2028" + `",true,null,{},[]]`},
		{`"\ud83d\ude00"`, `"😀"`},
	} {
		v, err := Parse([]byte(tc.in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.in, err)
		}
		if got := Stringify(v); got != tc.want {
			t.Errorf("Stringify(Parse(%s)) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{``, `01`, `1.`, `[1,]`, `{"a" 1}`, `"a`, "\"\t\"", `nul`, `1 2`, `-`, `.5`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestIndent(t *testing.T) {
	v, _ := Parse([]byte(`{"a":[1,{"b":null}],"c":{},"d":[]}`))
	want := "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}"
	if got := Indent(v, "  "); got != want {
		t.Errorf("Indent:\n%s\nwant\n%s", got, want)
	}
}

func TestToString(t *testing.T) {
	v, _ := Parse([]byte(`[null, 1.50, "s", [1, [2, null], {}], {"a": 1}, true, 1e21]`))
	for i, want := range []string{"null", "1.5", "s", "1,2,,[object Object]", "[object Object]", "true", "1e+21"} {
		if got := ToString(v.([]any)[i]); got != want {
			t.Errorf("ToString(%s) = %q, want %q", Stringify(v.([]any)[i]), got, want)
		}
	}
}

func TestCompareStrings(t *testing.T) {
	// U+FF5E sorts before U+1F600 in UTF-8 byte order but after it in UTF-16 order.
	if CompareStrings("\uff5e", "\U0001F600") <= 0 {
		t.Error("UTF-16 order not used")
	}
	if CompareStrings("a", "ab") >= 0 || CompareStrings("b", "a") <= 0 || CompareStrings("x", "x") != 0 {
		t.Error("basic order wrong")
	}
}
