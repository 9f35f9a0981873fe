package gen

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Field names of generated objects and lambdas: ASCII only. A non-ASCII field name in a
// lambda (`x.$.ключ`) makes avm 0.62 panic inside the interpreter (a Wasm trap, no
// result), so lambdas never contain one; values may hold any text.
var fieldNames = []string{"a", "b", "c", "name", "value", "list", "nested", "peer", "n", "flag", "key-1", "snake_case", "x2"}

// Strings that canned service answers may return (JSON text, so anything goes: control
// characters, characters outside the BMP, separators that JSON serializers treat apart).
var jsonStrings = []string{"hello", "", "multi word", "ünïcödé ✓", "quote\"inside", "back\\slash", "line\nbreak", "12", "true", "a/b", "tab\there",
	"ctl\u0001\u001f", "emoji 😀", "sep\u2028\u2029", "<&>", "\u007f"}

// Object keys of values that are never used in lambdas: they test the key order of
// serialized objects (byte-wise in AquaVM) and escaping.
var oddKeys = []string{"Zeta", "ä", "a b", "10", "9", "", "é", "_", "😀", "A"}

// String literals that may appear in scripts: AIR literals have no escapes and end at the
// next quote, so no `"` inside; they may hold parentheses, `;` and newlines.
var airStrings = []string{"hello", "", "k1", "k2", "with space", "semi;colon", "paren(s)", "ünï", "12", "x.$.a", "#$s", "multi\nline"}

// Float literals of AIR: at most 11 characters (longer ones are a parse error).
var airFloats = []string{"1.5", "-0.25", "3.0", "0.1", "100.125", "-7.75", "12345.6789", "0.0", "-0.0", "1.50", "+2.5", "0.30000001"}

// Integer literals of AIR (i64).
var airInts = []string{"0", "1", "2", "-1", "42", "-17", "1000000", "9223372036854775807", "-9223372036854775808", "+5", "007", "-0"}

// unknown marks a value whose shape the generator does not know statically.
type unknownT struct{}

var unknown any = unknownT{}

func isUnknown(v any) bool { _, ok := v.(unknownT); return ok }

// isPeer reports whether v is a peer placeholder string ("{{name}}"), which the oracle
// replaces by a peer id everywhere in services.
func isPeer(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "{{") && strings.HasSuffix(s, "}}")
}

// isErrorObject reports whether v is acceptable to (fail v): an object with a non-zero
// integer error_code and a string message.
func isErrorObject(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	code, ok := m["error_code"].(int64)
	if !ok || code == 0 {
		return false
	}
	_, ok = m["message"].(string)
	return ok
}

// randJSON returns a random JSON value (maps, slices, strings, int64, float64, bool, nil).
func (g *gen) randJSON(depth int) any {
	k := g.r.IntN(100)
	if depth >= 2 && k >= 70 {
		k = g.r.IntN(70)
	}
	switch {
	case k < 15:
		return g.pick(jsonStrings)
	case k < 22:
		return g.peerPlaceholder()
	case k < 35:
		return []int64{0, 1, 7, -3, 42, 1 << 40, 1000}[g.r.IntN(7)]
	case k < 40:
		// JSON numbers pass through JavaScript in the oracle: 1.0 becomes 1, 2^53+1 rounds.
		return []any{1.5, -0.25, 1e21, 3.0, 9007199254740993.0, 0.1, 1e-7, math.Copysign(0, -1), 5e-324, 1.7976931348623157e308, 123456789.123, 1.8446744073709552e19}[g.r.IntN(12)]
	case k < 47:
		return g.r.IntN(2) == 0
	case k < 52:
		return nil
	case k < 75:
		n := g.r.IntN(5)
		arr := make([]any, n)
		if g.r.IntN(3) == 0 {
			for i := range arr {
				arr[i] = g.randJSON(depth + 1)
			}
		} else {
			proto := g.r.IntN(3)
			for i := range arr {
				switch proto {
				case 0:
					arr[i] = int64(i + 1)
				case 1:
					arr[i] = g.pick(jsonStrings)
				default:
					arr[i] = map[string]any{"n": int64(i), "peer": g.peerPlaceholder()}
				}
			}
		}
		return arr
	default:
		n := 1 + g.r.IntN(4)
		obj := map[string]any{}
		for range n {
			k := g.pick(fieldNames)
			if g.r.IntN(7) == 0 {
				k = g.pick(oddKeys)
			}
			obj[k] = g.randJSON(depth + 1)
		}
		return obj
	}
}

func (g *gen) peerPlaceholder() string { return "{{" + g.pick(g.peers) + "}}" }

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// errorShape is the shape of :error: and %last_error% objects.
func errorShape() any {
	return map[string]any{"error_code": int64(10000), "message": "m", "instruction": "i", "peer_id": "p"}
}

// lambda returns a lambda suffix (".$..." or ".length") for a value of the given shape and
// the shape of its result. Most paths exist in the shape; some do not (a catchable lambda
// error at run time). firstIndex forces an index as the first accessor.
func (g *gen) lambda(shape any, firstIndex bool) (string, any) {
	if arr, ok := shape.([]any); ok && g.r.IntN(8) == 0 {
		return ".length", int64(len(arr))
	}
	var b strings.Builder
	b.WriteString(".$")
	cur := shape
	steps := 1 + g.r.IntN(2)
	for s := 0; s < steps; s++ {
		dot := "."
		if g.r.IntN(6) == 0 {
			dot = "" // an index accessor may omit its dot: x.$[0]
		}
		bang := ""
		if s == steps-1 && g.r.IntN(20) == 0 {
			bang = "!" // the flattening sign, at the end of the word: accepted and ignored
		}
		switch v := cur.(type) {
		case []any:
			idx := 0
			if len(v) > 0 {
				idx = g.r.IntN(len(v))
			}
			if g.r.IntN(8) == 0 {
				idx = len(v) + g.r.IntN(3) // out of range: a catchable lambda error
			}
			if sc := g.indexScalar(); sc != "" && g.r.IntN(8) == 0 {
				fmt.Fprintf(&b, "%s[%s]%s", dot, sc, bang)
				cur = unknown
				continue
			}
			fmt.Fprintf(&b, "%s[%d]%s", dot, idx, bang)
			if idx < len(v) {
				cur = v[idx]
			} else {
				cur = unknown
			}
		case map[string]any:
			if firstIndex && s == 0 {
				fmt.Fprintf(&b, "%s[0]%s", dot, bang)
				cur = unknown
				continue
			}
			keys := safeKeys(v)
			var f string
			if len(keys) > 0 && g.r.IntN(8) != 0 {
				f = keys[g.r.IntN(len(keys))]
				cur = v[f]
			} else {
				f = g.pick(fieldNames)
				if x, ok := v[f]; ok {
					cur = x
				} else {
					cur = unknown
				}
			}
			if sc := g.fieldScalar(); sc != "" && g.r.IntN(10) == 0 {
				fmt.Fprintf(&b, "%s[%s]%s", dot, sc, bang)
				cur = unknown
				continue
			}
			fmt.Fprintf(&b, ".%s%s", f, bang)
		default:
			if s > 0 {
				return strings.TrimSuffix(b.String(), "!"), cur
			}
			// a scalar or an unknown value: any accessor (may fail at run time)
			if firstIndex || g.r.IntN(2) == 0 {
				fmt.Fprintf(&b, "%s[%d]%s", dot, g.r.IntN(3), bang)
			} else {
				fmt.Fprintf(&b, ".%s%s", g.pick(fieldNames), bang)
			}
			cur = unknown
		}
	}
	return b.String(), cur
}

// safeKeys returns the keys of m that may appear in a lambda, sorted: ASCII names (map
// keys and canon map keys may be any string, and a non-ASCII field in a lambda traps avm
// 0.62; an empty or numeric one is not a lambda field at all).
func safeKeys(m map[string]any) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if safeField(k) {
			out = append(out, k)
		}
	}
	return out
}

func safeField(k string) bool {
	if k == "" || !(k[0] >= 'a' && k[0] <= 'z' || k[0] >= 'A' && k[0] <= 'Z' || k[0] == '_') {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
