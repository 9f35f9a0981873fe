package value

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func mustParse(t *testing.T, s string) Value {
	t.Helper()
	v, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return v
}

// TestParseReserialize checks Parse followed by Marshal against the texts AquaVM
// stores (data-format.md §9) and serde_json's own test suite.
func TestParseReserialize(t *testing.T) {
	long := "1" + strings.Repeat("0", 308)
	tests := []struct{ in, want string }{
		{`null`, `null`},
		{` true `, `true`},
		{"\t\n\r false", `false`},
		{`[ 1 , true,null ]`, `[1,true,null]`},
		{`{"z":1,"a":{"y":2,"b":3},"é":0,"Z":4}`, `{"Z":4,"a":{"b":3,"y":2},"z":1,"é":0}`},
		{`{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`},
		{`{"b":1,"a":2,"b":3,"a":4,"c":5}`, `{"a":4,"b":3,"c":5}`},
		{`{}`, `{}`},
		{`[]`, `[]`},
		{`{ "a" : [ ] , "b" : { } }`, `{"a":[],"b":{}}`},
		{`"\u00e9\/\u0001\u007f\u2028"`, "\"é/\\u0001\x7f\u2028\""},
		{`"\"\\\b\f\n\r\t"`, `"\"\\\b\f\n\r\t"`},
		{`"\u001f\u0000\u000B"`, `"\u001f\u0000\u000b"`},
		{`"\uD83C\uDF95"`, "\"\U0001F395\""},
		{`"\uab12\uAB12"`, "\"\uab12\uab12\""},
		// integers
		{`0`, `0`},
		{`18446744073709551615`, `18446744073709551615`},
		{`-9223372036854775808`, `-9223372036854775808`},
		{`9223372036854775808`, `9223372036854775808`},
		{`-1`, `-1`},
		// integers that do not fit become floats
		{`18446744073709551616`, `1.8446744073709552e19`},
		{`-9223372036854775809`, `-9.223372036854776e18`},
		{`-18446744073709551615`, `-1.8446744073709552e19`},
		{`-0`, `-0.0`},
		{`1010101010101010101010101010101010101010`, `1.01010101010101e39`},
		// floats (data-format.md §9, CONFIRMED against the AVM)
		{`2.0`, `2.0`},
		{`1.0e2`, `100.0`},
		{`-0.0`, `-0.0`},
		{`1e0`, `1.0`},
		{`1e15`, `1000000000000000.0`},
		{`1.5e15`, `1500000000000000.0`},
		{`1e16`, `1e16`},
		{`1.5e16`, `1.5e16`},
		{`12345678901234567.0`, `1.2345678901234566e16`},
		{`1e+21`, `1e21`},
		{`100000000000000000000000`, `1e23`},
		{`0.10`, `0.1`},
		{`0.00001`, `0.00001`},
		{`1.25e-5`, `0.0000125`},
		{`0.000001`, `1e-6`},
		{`1.5E-7`, `1.5e-7`},
		{`5e-324`, `5e-324`},
		{`123456789.123456789`, `123456789.12345679`},
		// serde_json's test suite
		{`3.00`, `3.0`},
		{`0.4e5`, `40000.0`},
		{`0.4e-001`, `0.04`},
		{`0.4e-0`, `0.4`},
		{`0.00e00`, `0.0`},
		{`3.5E-2147483647`, `0.0`},
		{`0.0100000000000000000001`, `0.01`},
		{`0.0000000000000000000000000000000000000000000000000123e50`, `1.23`},
		{`100e-777777777777777777777777777`, `0.0`},
		{`-1e-4000000000000000000000000000000000000000000000000`, `-0.0`},
		{`0e1000000000000000000000000000000000000000000000`, `0.0`},
		{`2.638344616030823e-256`, `2.638344616030823e-256`},
		{long, `1e308`},
		{long[:len(long)-8] + ".0e8", `1e308`},
		{long + "0000000000e-10", `1e308`},
		{`-1e-400`, `-0.0`},
		{`1.7976931348623157e308`, `1.7976931348623157e308`},
		{`2.220446049250313e-16`, `2.220446049250313e-16`},
	}
	for _, tt := range tests {
		v := mustParse(t, tt.in)
		if got := string(Marshal(v)); got != tt.want {
			t.Errorf("Parse(%q) → %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseNumberKinds(t *testing.T) {
	tests := []struct {
		in      string
		integer bool
	}{
		{`0`, true}, {`-1`, true}, {`18446744073709551615`, true}, {`-9223372036854775808`, true},
		{`-0`, false}, {`1.0`, false}, {`1e2`, false}, {`18446744073709551616`, false},
		{`-9223372036854775809`, false},
	}
	for _, tt := range tests {
		n, ok := mustParse(t, tt.in).(Number)
		if !ok || n.IsInteger() != tt.integer || n.IsFloat() == tt.integer {
			t.Errorf("Parse(%q) = %#v, integer=%v", tt.in, n, tt.integer)
		}
	}
	if n := mustParse(t, `-0`).(Number); !math.Signbit(n.Float64()) {
		t.Errorf("-0 lost its sign")
	}
}

// TestParseErrors checks serde_json's error texts and positions; most cases come
// from serde_json's own test suite.
func TestParseErrors(t *testing.T) {
	long := "1" + strings.Repeat("0", 300)
	tests := []struct{ in, want string }{
		{``, "EOF while parsing a value at line 1 column 0"},
		{`   `, "EOF while parsing a value at line 1 column 3"},
		{`x`, "expected value at line 1 column 1"},
		{`NaN`, "expected value at line 1 column 1"},
		{`Infinity`, "expected value at line 1 column 1"},
		{`+`, "expected value at line 1 column 1"},
		{`.`, "expected value at line 1 column 1"},
		{`.0`, "expected value at line 1 column 1"},
		{`\0`, "expected value at line 1 column 1"},
		{`'a'`, "expected value at line 1 column 1"},
		{`n`, "EOF while parsing a value at line 1 column 1"},
		{`nul`, "EOF while parsing a value at line 1 column 3"},
		{`nulla`, "trailing characters at line 1 column 5"},
		{`t`, "EOF while parsing a value at line 1 column 1"},
		{`truz`, "expected ident at line 1 column 4"},
		{`faz`, "expected ident at line 1 column 3"},
		{`truea`, "trailing characters at line 1 column 5"},
		{`123abc`, "trailing characters at line 1 column 4"},
		{`1 2`, "trailing characters at line 1 column 3"},
		{"[1]\n x", "trailing characters at line 2 column 2"},
		{`-`, "EOF while parsing a value at line 1 column 1"},
		{`-a`, "invalid number at line 1 column 2"},
		{`00`, "invalid number at line 1 column 2"},
		{`-01`, "invalid number at line 1 column 3"},
		{`0x80`, "trailing characters at line 1 column 2"},
		{`0.`, "EOF while parsing a value at line 1 column 2"},
		{`1.`, "EOF while parsing a value at line 1 column 2"},
		{`1.a`, "invalid number at line 1 column 3"},
		{`1.e1`, "invalid number at line 1 column 3"},
		{`1e`, "EOF while parsing a value at line 1 column 2"},
		{`1e+`, "EOF while parsing a value at line 1 column 3"},
		{`1ex`, "invalid number at line 1 column 3"},
		{`1a`, "trailing characters at line 1 column 2"},
		{`1e400`, "number out of range at line 1 column 5"},
		{`1e1000`, "number out of range at line 1 column 6"},
		{`100e777777777777777777777777777`, "number out of range at line 1 column 14"},
		{`-100e777777777777777777777777777`, "number out of range at line 1 column 15"},
		{long + "000000000", "number out of range at line 1 column 310"},
		{long + ".0e9", "number out of range at line 1 column 305"},
		{long + "e9", "number out of range at line 1 column 303"},
		{`"`, "EOF while parsing a string at line 1 column 1"},
		{`"lol`, "EOF while parsing a string at line 1 column 4"},
		{`"lol"a`, "trailing characters at line 1 column 6"},
		{`"\uD83C\uFFFF"`, "lone leading surrogate in hex escape at line 1 column 13"},
		{`"\udc00"`, "lone leading surrogate in hex escape at line 1 column 7"},
		{`"\ud800"`, "unexpected end of hex escape at line 1 column 8"},
		{`"\ud800\n"`, "unexpected end of hex escape at line 1 column 9"},
		{`"\ud800`, "EOF while parsing a string at line 1 column 7"},
		{`"\ud800\`, "EOF while parsing a string at line 1 column 8"},
		{`"\u12`, "EOF while parsing a string at line 1 column 5"},
		{`"\x"`, "invalid escape at line 1 column 3"},
		{`"\`, "EOF while parsing a string at line 1 column 2"},
		{"\"\n\"", "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0"},
		{"\"\x1f\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 2"},
		{"\"\x9f\x92\x96\"", "invalid unicode code point at line 1 column 5"},
		{"\"\\n\x9f\x92\x96\"", "invalid unicode code point at line 1 column 7"},
		{"\"\\u003", "EOF while parsing a string at line 1 column 6"},
		{"\"\\u\xfa030\"", "invalid escape at line 1 column 4"},
		{"\"\\u0\xfa30\"", "invalid escape at line 1 column 5"},
		{"\"\\u00\xfa0\"", "invalid escape at line 1 column 6"},
		{"\"\\u003\xfa\"", "invalid escape at line 1 column 7"},
		{"\"\xed\xa0\x80\"", "invalid unicode code point at line 1 column 5"},
		{`[`, "EOF while parsing a list at line 1 column 1"},
		{`[ `, "EOF while parsing a list at line 1 column 2"},
		{`[1`, "EOF while parsing a list at line 1 column 2"},
		{`[1,`, "EOF while parsing a value at line 1 column 3"},
		{`[1,]`, "trailing comma at line 1 column 4"},
		{`[1 2]`, "expected `,` or `]` at line 1 column 4"},
		{`[,1]`, "expected value at line 1 column 2"},
		{`[]a`, "trailing characters at line 1 column 3"},
		{`{`, "EOF while parsing an object at line 1 column 1"},
		{`{ `, "EOF while parsing an object at line 1 column 2"},
		{`{1`, "key must be a string at line 1 column 2"},
		{`{1:2}`, "key must be a string at line 1 column 2"},
		{`{ "a"`, "EOF while parsing an object at line 1 column 5"},
		{`{"a"`, "EOF while parsing an object at line 1 column 4"},
		{`{"a" `, "EOF while parsing an object at line 1 column 5"},
		{`{"a" 1`, "expected `:` at line 1 column 6"},
		{`{"a":`, "EOF while parsing a value at line 1 column 5"},
		{`{"a":1`, "EOF while parsing an object at line 1 column 6"},
		{`{"a":1 1`, "expected `,` or `}` at line 1 column 8"},
		{`{"a":1,`, "EOF while parsing a value at line 1 column 7"},
		{`{"a":1,}`, "trailing comma at line 1 column 8"},
		{`{"a":1,2}`, "key must be a string at line 1 column 8"},
		{`{,}`, "key must be a string at line 1 column 2"},
		{`{}a`, "trailing characters at line 1 column 3"},
		{strings.Repeat("[", 129), "recursion limit exceeded at line 1 column 128"},
		{strings.Repeat(`{"a":`, 128), "recursion limit exceeded at line 1 column 636"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want %q", tt.in, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q) error %q, want %q", tt.in, err, tt.want)
		}
		if _, ok := err.(*SyntaxError); !ok {
			t.Errorf("Parse(%q) error is %T, want *SyntaxError", tt.in, err)
		}
	}
}

func TestRecursionLimit(t *testing.T) {
	ok := strings.Repeat("[", 127) + strings.Repeat("]", 127)
	mustParse(t, ok)
	obj := strings.Repeat(`{"a":`, 127) + "1" + strings.Repeat("}", 127)
	mustParse(t, obj)
	// Depth is restored after each closed container.
	mustParse(t, "["+strings.Repeat(strings.Repeat("[", 126)+strings.Repeat("]", 126)+",", 3)+"1]")
}

func TestFloatFormat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{3.1, "3.1"},
		{-1.5, "-1.5"},
		{0.5, "0.5"},
		{1e15, "1000000000000000.0"},
		{9999999999999998, "9999999999999998.0"},
		{1e16, "1e16"},
		{1.5e16, "1.5e16"},
		{1.2345e20, "1.2345e20"},
		{123.456, "123.456"},
		{0.1, "0.1"},
		{0.0001, "0.0001"},
		{0.00001, "0.00001"},
		{0.0000123, "0.0000123"},
		{0.000001, "1e-6"},
		{1.5e-7, "1.5e-7"},
		{5e-324, "5e-324"},
		{-math.MaxFloat64, "-1.7976931348623157e308"},
		{math.MaxFloat64, "1.7976931348623157e308"},
		{2.220446049250313e-16, "2.220446049250313e-16"},
		{1e100, "1e100"},
		{math.NaN(), "null"},
		{math.Inf(1), "null"},
		{math.Inf(-1), "null"},
	}
	for _, tt := range tests {
		if got := Float(tt.f).String(); got != tt.want {
			t.Errorf("Float(%v).String() = %s, want %s", tt.f, got, tt.want)
		}
		if got := string(Marshal(Float(tt.f))); got != tt.want {
			t.Errorf("Marshal(Float(%v)) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	var zero Number
	if !zero.Equal(Int(0)) || !zero.Equal(Uint(0)) || zero.String() != "0" {
		t.Errorf("zero Number is not the integer 0")
	}
	if Int(5) != Uint(5) {
		t.Errorf("Int(5) and Uint(5) differ: non-negative ints must be PosInt")
	}
	tests := []struct {
		n        Number
		str      string
		i64      int64
		i64ok    bool
		u64      uint64
		u64ok    bool
		f64      float64
		isFloat  bool
		describe string
	}{
		{Int(-3), "-3", -3, true, 0, false, -3, false, "negative"},
		{Int(7), "7", 7, true, 7, true, 7, false, "positive"},
		{Int(math.MinInt64), "-9223372036854775808", math.MinInt64, true, 0, false, -9.223372036854775808e18, false, "min"},
		{Uint(math.MaxUint64), "18446744073709551615", 0, false, math.MaxUint64, true, 1.8446744073709552e19, false, "max"},
		{Uint(math.MaxInt64), "9223372036854775807", math.MaxInt64, true, math.MaxInt64, true, 9.223372036854775807e18, false, "maxint"},
		{Float(2), "2.0", 0, false, 0, false, 2, true, "float"},
		{Float(-0.25), "-0.25", 0, false, 0, false, -0.25, true, "negative float"},
	}
	for _, tt := range tests {
		i, iok := tt.n.Int64()
		u, uok := tt.n.Uint64()
		if tt.n.String() != tt.str || i != tt.i64 || iok != tt.i64ok || u != tt.u64 || uok != tt.u64ok ||
			tt.n.Float64() != tt.f64 || tt.n.IsFloat() != tt.isFloat || tt.n.IsInteger() == tt.isFloat {
			t.Errorf("%s: %v: Int64 %v %v, Uint64 %v %v, Float64 %v, IsFloat %v",
				tt.describe, tt.n, i, iok, u, uok, tt.n.Float64(), tt.n.IsFloat())
		}
	}
}

func TestEqual(t *testing.T) {
	obj := func(s string) Value { return mustParse(t, s) }
	tests := []struct {
		a, b Value
		want bool
	}{
		{nil, nil, true},
		{nil, false, false},
		{true, true, true},
		{true, false, false},
		{Int(1), Int(1), true},
		{Int(1), Uint(1), true},
		{Int(1), Float(1), false}, // serde_json compares variants
		{Float(1), Float(1), true},
		{Float(0), Float(math.Copysign(0, -1)), true},
		{Float(math.NaN()), Float(math.NaN()), false},
		{Int(-1), Int(-1), true},
		{Int(-1), Float(-1), false},
		{"a", "a", true},
		{"a", "b", false},
		{"1", Int(1), false},
		{[]Value{}, []Value{}, true},
		{[]Value{Int(1)}, []Value{Int(1)}, true},
		{[]Value{Int(1)}, []Value{Int(1), nil}, false},
		{[]Value{Int(1)}, []Value{Float(1)}, false},
		{obj(`{"a":1,"b":[2]}`), obj(`{"b":[2],"a":1}`), true},
		{obj(`{"a":1}`), obj(`{"a":1,"b":2}`), false},
		{obj(`{"a":1}`), obj(`{"b":1}`), false},
		{obj(`{"a":1}`), obj(`{"a":1.0}`), false},
		{obj(`{}`), NewObject(0), true},
		{obj(`{}`), []Value{}, false},
	}
	for _, tt := range tests {
		if got := Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%s, %s) = %v, want %v", Marshal(tt.a), Marshal(tt.b), got, tt.want)
		}
		if got := Equal(tt.b, tt.a); got != tt.want {
			t.Errorf("Equal(%s, %s) = %v, want %v", Marshal(tt.b), Marshal(tt.a), got, tt.want)
		}
	}
}

func TestObject(t *testing.T) {
	o := NewObject(0)
	for _, k := range []string{"b", "é", "a", "Z", "", "b"} {
		o.Set(k, k)
	}
	o.Set("b", Int(2))
	if got, want := strings.Join(o.Keys(), ","), ",Z,a,b,é"; got != want {
		t.Errorf("Keys = %q, want %q", got, want)
	}
	if o.Len() != 5 {
		t.Errorf("Len = %d", o.Len())
	}
	if v, ok := o.Get("b"); !ok || !Equal(v, Int(2)) {
		t.Errorf("Get(b) = %v %v", v, ok)
	}
	if _, ok := o.Get("c"); ok {
		t.Errorf("Get(c) found")
	}
	var seen []string
	o.Range(func(k string, _ Value) bool {
		seen = append(seen, k)
		return k != "a"
	})
	if strings.Join(seen, ",") != ",Z,a" {
		t.Errorf("Range stopped wrong: %q", seen)
	}
	if got := string(Marshal(o)); got != `{"":"","Z":"Z","a":"a","b":2,"é":"é"}` {
		t.Errorf("Marshal = %s", got)
	}
	var nilObj *Object
	if nilObj.Len() != 0 || nilObj.Keys() != nil || string(Marshal(nilObj)) != "{}" {
		t.Errorf("nil *Object misbehaves")
	}
	var zero Object
	zero.Set("x", nil)
	if zero.Len() != 1 {
		t.Errorf("zero Object Set failed")
	}
	// Keys returns a copy.
	ks := o.Keys()
	ks[0] = "mutated"
	if o.Keys()[0] != "" {
		t.Errorf("Keys aliases internal storage")
	}
}

func TestMarshalStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\b\t\n\f\r", `"\b\t\n\f\r"`},
		{"\x00\x01\x0b\x1f", `"\u0000\u0001\u000b\u001f"`},
		{"\x7f/é\u2028\U0001F600", "\"\x7f/é\u2028\U0001F600\""},
		{"<>&", `"<>&"`},
	}
	for _, tt := range tests {
		if got := string(Marshal(tt.in)); got != tt.want {
			t.Errorf("Marshal(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := string(AppendJSON([]byte("x="), []Value{"a", Int(-1), nil})); got != `x=["a",-1,null]` {
		t.Errorf("AppendJSON = %s", got)
	}
}

func TestMarshalPanicsOnForeignTypes(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Marshal(int) did not panic")
		}
	}()
	Marshal(3)
}

func TestFromGoToGo(t *testing.T) {
	var x any
	dec := json.NewDecoder(strings.NewReader(`{"b":[1,-2,1.5,"s",true,null],"a":{"x":18446744073709551615}}`))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		t.Fatal(err)
	}
	v, err := FromGo(x)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":{"x":18446744073709551615},"b":[1,-2,1.5,"s",true,null]}`
	if got := string(Marshal(v)); got != want {
		t.Errorf("FromGo → %s, want %s", got, want)
	}
	back, err := json.Marshal(ToGo(v))
	if err != nil {
		t.Fatal(err)
	}
	if string(back) != want {
		t.Errorf("ToGo → %s, want %s", back, want)
	}

	conv := []struct {
		in   any
		want string
	}{
		{float64(1), "1.0"},
		{float32(0.5), "0.5"},
		{int(-3), "-3"},
		{uint8(200), "200"},
		{int64(math.MinInt64), "-9223372036854775808"},
		{json.Number("-0"), "-0.0"},
		{json.RawMessage(`{"b":1,"a":2}`), `{"a":2,"b":1}`},
		{Int(4), "4"},
		{[]any{map[string]any{}}, "[{}]"},
	}
	for _, tt := range conv {
		v, err := FromGo(tt.in)
		if err != nil {
			t.Errorf("FromGo(%#v): %v", tt.in, err)
			continue
		}
		if got := string(Marshal(v)); got != tt.want {
			t.Errorf("FromGo(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), json.Number("1x"), json.Number(`"1"`), struct{}{}, []int{1}} {
		if _, err := FromGo(bad); err == nil {
			t.Errorf("FromGo(%#v) succeeded", bad)
		}
	}
	if ToGo(Float(math.NaN())) != nil {
		t.Errorf("ToGo(NaN) is not nil")
	}
}

func TestTypeName(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want string
	}{{nil, "null"}, {true, "boolean"}, {Int(1), "number"}, {"", "string"}, {[]Value{}, "array"}, {NewObject(0), "object"}} {
		if got := TypeName(tt.v); got != tt.want {
			t.Errorf("TypeName(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

// closeEqual is Equal with floats allowed to differ by a few ulps.
func closeEqual(a, b Value) bool {
	switch x := a.(type) {
	case Number:
		y, ok := b.(Number)
		if !ok || x.IsFloat() != y.IsFloat() {
			return false
		}
		if !x.IsFloat() {
			return x.Equal(y)
		}
		return ulpDistance(x.Float64(), y.Float64()) <= 2
	case []Value:
		y, ok := b.([]Value)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !closeEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := range x.keys {
			if x.keys[i] != y.keys[i] || !closeEqual(x.vals[i], y.vals[i]) {
				return false
			}
		}
		return true
	}
	return Equal(a, b)
}

func ulpDistance(a, b float64) uint64 {
	if a == b {
		return 0
	}
	if math.Signbit(a) != math.Signbit(b) {
		return math.MaxUint64
	}
	x, y := math.Float64bits(a), math.Float64bits(b)
	if x > y {
		return x - y
	}
	return y - x
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`null`, `[1,2.5,-3,"x"]`, `{"a":{"b":[true,false]}}`, `"\ud83d\ude00"`, `1e400`,
		`-0`, `18446744073709551616`, `{"a":1,"a":2}`, `[1,]`, "\"\xff\"", `0.1e-5`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Parse(b)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		// encoding/json must accept the same document (it is laxer only about
		// invalid UTF-8, which it replaces).
		if !json.Valid(b) {
			t.Fatalf("Parse accepted %q, encoding/json rejects it", b)
		}
		text := Marshal(v)
		if !json.Valid(text) {
			t.Fatalf("Marshal produced invalid JSON %q", text)
		}
		w, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(Marshal(v)) of %q → %s: %v", b, text, err)
		}
		// serde_json's default float parser is not correctly rounded, so a float
		// may come back a few units in the last place away (AquaVM has the same
		// drift); everything else must survive exactly.
		if !closeEqual(v, w) {
			t.Fatalf("round trip changed %q: %s → %s", b, text, Marshal(w))
		}
	})
}

func TestSizeHintIsALowerBound(t *testing.T) {
	for _, text := range []string{`null`, `1.5e300`, `""`, `"a\"b\\c\n"`, `[]`, `[1,[2,{}]]`, `{}`, `{"a":1,"b\n":[true,null,"x"]}`} {
		v, err := Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if h, n := SizeHint(v), len(Marshal(v)); h > n {
			t.Errorf("SizeHint(%s) = %d > %d", text, h, n)
		}
	}
}

func TestPlainEndMatchesByteLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	alphabet := []byte("abcXYZ019 ~\x7f\"\\\x00\x01\x1f\x20\x80\xbf\xc3\xa9\xff")
	for n := 0; n < 4000; n++ {
		size, odd := r.IntN(600), 40
		if n%8 == 0 {
			// Long runs, scanned window by window: a few odd bytes, often near a
			// window's edge.
			size, odd = 16<<10+r.IntN(40<<10), 0
		}
		b := make([]byte, size)
		for i := range b {
			if odd > 0 && r.IntN(odd) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = 'a' + byte(r.IntN(26))
			}
		}
		for k := r.IntN(3); odd == 0 && k > 0; k-- {
			at := r.IntN(size)
			if r.IntN(2) == 0 {
				at = min(size-1, (r.IntN(3)+1)*16<<10+r.IntN(80)-40)
			}
			b[at] = alphabet[r.IntN(len(alphabet))]
		}
		from := 0
		if size > 0 {
			from = r.IntN(size)
		}
		wantEnd, wantASCII := len(b), true
		for i := from; i < len(b); i++ {
			if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
				wantEnd = i
				break
			} else if c >= 0x80 {
				wantASCII = false
			}
		}
		end, ascii := plainEnd(b, from)
		if end != wantEnd || (ascii && !wantASCII) {
			t.Fatalf("plainEnd(%q, %d) = %d, %v; want %d, %v", b, from, end, ascii, wantEnd, wantASCII)
		}
		// ascii may only be false for an ASCII run when a control character ends it
		if !ascii && wantASCII && (wantEnd == len(b) || b[wantEnd] >= 0x20) {
			t.Fatalf("plainEnd(%q, %d): ascii false for an ASCII run", b, from)
		}
	}
}

func TestPlainMatchesByteLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	special := []byte("\"\\\x00\x01\x1f")
	other := []byte("abc ~\x7f\x20\x21\x5b\x5d\x80\xa2\xdc\xff")
	for n := 0; n < 20000; n++ {
		b := make([]byte, r.IntN(140))
		for i := range b {
			b[i] = other[r.IntN(len(other))]
		}
		if len(b) > 0 && r.IntN(2) == 0 {
			b[r.IntN(len(b))] = special[r.IntN(len(special))]
		}
		want := true
		for _, c := range b {
			if c == '"' || c == '\\' || c < 0x20 {
				want = false
			}
		}
		if got := plain(b); got != want {
			t.Fatalf("plain(%q) = %v, want %v", b, got, want)
		}
	}
}
