package sim

import (
	"strings"

	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// ResolvedTrace gives the implementation-neutral view of a trace that the oracle records
// (oracle.mjs resolvedTrace): hr is the human-readable data as a jsjson value; every CID in
// its trace is replaced by the content it names (value store: the parsed JSON value;
// tetraplet store: the tetraplet; service result, canon result and canon element stores:
// their entry, resolved again), a key suffix "_cid" is dropped and "argument_hash" entries
// are dropped. It returns nil (null) when hr has no trace.
func ResolvedTrace(hr any) any {
	h, ok := hr.(*jsjson.Object)
	if !ok {
		return nil
	}
	dv, _ := h.Get("data")
	d, ok := dv.(*jsjson.Object)
	if !ok {
		return nil
	}
	trace, _ := d.Get("trace")
	if _, ok := trace.([]any); !ok {
		return nil
	}
	store := func(o *jsjson.Object, key string) *jsjson.Object {
		v, _ := o.Get(key)
		s, _ := v.(*jsjson.Object)
		return s
	}
	ci := store(d, "cid_info")
	vs := store(ci, "value_store")
	ts := store(ci, "tetraplet_store")
	composite := []*jsjson.Object{store(ci, "service_result_store"), store(ci, "canon_result_store"), store(ci, "canon_element_store")}
	var walk func(x any) any
	walk = func(x any) any {
		switch x := x.(type) {
		case string:
			if v, ok := vs.Get(x); ok {
				text, isText := v.(string)
				if !isText {
					return v
				}
				parsed, err := jsjson.Parse([]byte(text))
				if err != nil {
					return text
				}
				return parsed
			}
			if v, ok := ts.Get(x); ok {
				return v
			}
			for _, st := range composite {
				if v, ok := st.Get(x); ok {
					return walk(v)
				}
			}
			return x
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e)
			}
			return out
		case *jsjson.Object:
			out := jsjson.NewObject()
			for _, k := range x.Keys() {
				if k == "argument_hash" {
					continue
				}
				v, _ := x.Get(k)
				out.Set(strings.TrimSuffix(k, "_cid"), walk(v))
			}
			return out
		}
		return x
	}
	return walk(trace)
}
