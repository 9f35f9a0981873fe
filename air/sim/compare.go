package sim

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// CompareOptions are compare.mjs's options.
type CompareOptions struct {
	// StrictCIDs also compares the CIDs of unused call results exactly.
	StrictCIDs bool
	// StrictData also compares every invocation's data and every peer's final data.
	StrictData bool
	// LooseErrors compares ret_code but not error_message.
	LooseErrors bool
}

// cidPrefix starts every CID AquaVM writes: CIDv1, base32, JSON codec, blake3 multihash.
const cidPrefix = "bagaai"

// Compare compares an actual result file with the expected one by the rules of
// ../shared/conformance/compare.mjs and returns its first difference, "" when they match.
func Compare(expected, actual []byte, opts CompareOptions) (string, error) {
	e, err := jsjson.Parse(expected)
	if err != nil {
		return "", fmt.Errorf("expected: %w", err)
	}
	a, err := jsjson.Parse(actual)
	if err != nil {
		return "", fmt.Errorf("could not parse the output as JSON: %w", err)
	}
	return CompareValues(e, a, opts), nil
}

// CompareResult compares a Result with an expected result file (see Compare).
func CompareResult(expected []byte, r *Result, opts CompareOptions) (string, error) {
	return Compare(expected, r.JSON(), opts)
}

// CompareValues compares parsed result files (jsjson values) as Compare does.
func CompareValues(expected, actual any, opts CompareOptions) string {
	d, _ := firstDiff(mustMatch(actual, opts), mustMatch(expected, opts), "$")
	return d
}

// undefined stands for JavaScript's undefined where a property is missing.
type undefined struct{}

func get(v any, k string) any {
	if o, ok := v.(*jsjson.Object); ok {
		if x, ok := o.Get(k); ok {
			return x
		}
	}
	return undefined{}
}

// orDefault is JavaScript's `v ?? d`.
func orDefault(v, d any) any {
	if v == nil || v == (undefined{}) {
		return d
	}
	return v
}

// defineAll removes undefined values as JSON.stringify does: object properties are left
// out, array elements become null.
func defineAll(v any) any {
	switch x := v.(type) {
	case undefined:
		return nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = defineAll(e)
		}
		return out
	case *jsjson.Object:
		out := jsjson.NewObject()
		for _, k := range x.Keys() {
			if e, _ := x.Get(k); e != (undefined{}) {
				out.Set(k, defineAll(e))
			}
		}
		return out
	}
	return v
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case *jsjson.Object:
		out := jsjson.NewObject()
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			out.Set(k, deepCopy(e))
		}
		return out
	}
	return v
}

// sortKeys rebuilds objects with their keys sorted (compare.mjs sortKeys).
func sortKeys(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = sortKeys(e)
		}
		return out
	case *jsjson.Object:
		keys := x.Keys()
		slices.SortStableFunc(keys, jsjson.CompareStrings)
		out := jsjson.NewObject()
		for _, k := range keys {
			e, _ := x.Get(k)
			out.Set(k, sortKeys(e))
		}
		return out
	}
	return v
}

// mustMatch reduces a result to what must match, in a canonical form (compare.mjs mustMatch).
// Like the JavaScript object literals there, it keeps keys whose value is undefined.
func mustMatch(result any, opts CompareOptions) any {
	trace := func(t any) any {
		cp := deepCopy(orDefault(t, nil))
		if l, ok := cp.([]any); ok && !opts.StrictCIDs {
			for _, state := range l {
				exec, ok := get(get(state, "call"), "executed").(*jsjson.Object)
				if !ok {
					continue
				}
				if u, ok := get(exec, "unused").(string); ok && strings.HasPrefix(u, cidPrefix) {
					exec.Set("unused", "<cid>")
				}
			}
		}
		return cp
	}
	out := jsjson.NewObject()
	invs := []any{}
	if l, ok := orDefault(get(result, "invocations"), []any{}).([]any); ok {
		for _, inv := range l {
			o := jsjson.NewObject()
			o.Set("index", get(inv, "index"))
			o.Set("peer", get(inv, "peer"))
			o.Set("input", get(inv, "input"))
			o.Set("ret_code", get(inv, "ret_code"))
			if !opts.LooseErrors {
				o.Set("error_message", get(inv, "error_message"))
			}
			var pks []any
			if l, ok := orDefault(get(inv, "next_peer_pks"), []any{}).([]any); ok {
				pks = slices.Clone(l)
			}
			slices.SortStableFunc(pks, func(a, b any) int { return jsjson.CompareStrings(jsjson.ToString(a), jsjson.ToString(b)) })
			if pks == nil {
				pks = []any{}
			}
			o.Set("next_peer_pks", pks)
			reqs := []any{}
			if l, ok := orDefault(get(inv, "call_requests"), []any{}).([]any); ok {
				for _, r := range l {
					x := jsjson.NewObject()
					for _, k := range []string{"id", "service", "function", "args", "tetraplets"} {
						x.Set(k, get(r, k))
					}
					reqs = append(reqs, x)
				}
			}
			o.Set("call_requests", reqs)
			o.Set("trace", trace(get(inv, "trace")))
			if opts.StrictData {
				o.Set("data", sortKeys(orDefault(get(inv, "data"), nil)))
			}
			invs = append(invs, o)
		}
	}
	out.Set("invocations", invs)
	out.Set("undelivered", orDefault(get(result, "undelivered"), []any{}))
	out.Set("truncated", jsjson.Truthy(orDefault(get(result, "truncated"), false)))
	ft := jsjson.NewObject()
	if o, ok := orDefault(get(result, "final_trace"), jsjson.NewObject()).(*jsjson.Object); ok {
		for _, k := range o.Keys() {
			t, _ := o.Get(k)
			ft.Set(k, trace(t))
		}
	}
	out.Set("final_trace", ft)
	if opts.StrictData {
		out.Set("final_data", sortKeys(orDefault(get(result, "final_data"), nil)))
	}
	return out
}

// stringify is JSON.stringify with undefined printed as "undefined", as a template string shows it.
func stringify(v any) string {
	if v == (undefined{}) {
		return "undefined"
	}
	return jsjson.Stringify(defineAll(v))
}

func clip(s string, n int) string {
	u := utf16.Encode([]rune(s))
	if len(u) <= n {
		return s
	}
	return string(utf16.Decode(u[:n]))
}

// firstDiff is compare.mjs firstDiff: a is the actual value, b the expected one.
func firstDiff(a, b any, where string) (string, bool) {
	if stringify(a) == stringify(b) {
		return "", false
	}
	la, aArr := a.([]any)
	lb, bArr := b.([]any)
	oa, aObj := a.(*jsjson.Object)
	ob, bObj := b.(*jsjson.Object)
	if (aArr || aObj) && (bArr || bObj) && aArr == bArr {
		if aArr {
			for i := 0; i < max(len(la), len(lb)); i++ {
				var x, y any = undefined{}, undefined{}
				if i < len(la) {
					x = la[i]
				}
				if i < len(lb) {
					y = lb[i]
				}
				if d, ok := firstDiff(x, y, fmt.Sprintf("%s[%d]", where, i)); ok {
					return d, true
				}
			}
		} else {
			keys := oa.Keys()
			for _, k := range ob.Keys() {
				if !oa.Has(k) {
					keys = append(keys, k)
				}
			}
			for _, k := range keys {
				if d, ok := firstDiff(get(oa, k), get(ob, k), where+"."+k); ok {
					return d, true
				}
			}
		}
	}
	return fmt.Sprintf("%s: expected %s got %s", where, clip(stringify(b), 300), clip(stringify(a), 300)), true
}
