package sim

import (
	"fmt"
	"math"

	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// Answer is a simulated service's reply to one call request. Result is a jsjson value;
// the interpreter receives jsjson.Stringify(Result).
type Answer struct {
	RetCode int32
	Result  any
}

// Services answers call requests from a case's canned answers and the simulation's
// built-ins, as oracle.mjs's answer() does. It counts the calls that hit each "seq" entry.
type Services struct {
	tables map[string]map[string]any
	seq    map[string]int
}

// NewServices returns the answering machine for tables of canned answers (already
// substituted: no {{name}} placeholders left).
func NewServices(tables map[string]map[string]any) *Services {
	return &Services{tables: tables, seq: map[string]int{}}
}

var specKeys = map[string]bool{"result": true, "ret_code": true, "seq": true, "behaviour": true}

// isSpec reports whether v is an answer specification rather than a plain value: a
// non-empty object whose keys are all among result, ret_code, seq and behaviour.
func isSpec(v any) (*jsjson.Object, bool) {
	o, ok := v.(*jsjson.Object)
	if !ok || o.Len() == 0 {
		return nil, false
	}
	for _, k := range o.Keys() {
		if !specKeys[k] {
			return nil, false
		}
	}
	return o, true
}

// Answer returns the answer to a call made on peer, or nil when the call is never answered
// (behaviour "defer"). Lookup order: the peer's table then the "*" table; within a table
// "service.function", then "service.*", then "*"; nothing found means the built-ins.
func (s *Services) Answer(peer, service, function string, args []any) (*Answer, error) {
	key := service + "." + function
	var spec any
	found := false
	where := ""
	for ti, name := range []string{peer, "*"} {
		t := s.tables[name]
		for _, k := range []string{key, service + ".*", "*"} {
			if v, ok := t[k]; ok {
				spec, found = v, true
				if ti == 0 {
					where = peer + ":" + k
				} else {
					where = "*:" + k
				}
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		a := Builtin(service, function, args)
		return &a, nil
	}
	o, ok := isSpec(spec)
	if !ok {
		return &Answer{Result: spec}, nil
	}
	if o.Has("seq") {
		idx := s.seq[where]
		s.seq[where] = idx + 1
		lv, _ := o.Get("seq")
		list, ok := lv.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("%s: seq must be a non-empty array", where)
		}
		item := list[min(idx, len(list)-1)]
		if io, ok := isSpec(item); ok {
			return resolveSpec(io, service, function, args)
		}
		return &Answer{Result: item}, nil
	}
	return resolveSpec(o, service, function, args)
}

// resolveSpec applies an answer specification (oracle.mjs resolveSpec).
func resolveSpec(spec *jsjson.Object, service, function string, args []any) (*Answer, error) {
	b, _ := spec.Get("behaviour")
	switch b {
	case "defer":
		return nil, nil
	case "echo":
		return &Answer{Result: args}, nil
	case "builtin":
		a := Builtin(service, function, args)
		return &a, nil
	}
	if jsjson.Truthy(b) && b != "value" {
		return nil, fmt.Errorf("unknown behaviour %s", jsjson.ToString(b))
	}
	a := &Answer{}
	if rc, _ := spec.Get("ret_code"); rc != nil {
		f, ok := rc.(float64)
		if !ok || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
			return nil, fmt.Errorf("ret_code %s is not an i32", jsjson.Stringify(rc))
		}
		a.RetCode = int32(f)
	}
	a.Result, _ = spec.Get("result") // absent: null
	return a, nil
}

// Builtin is the simulation's own built-in service set (not nox's): op.identity, op.noop,
// op.array, op.concat, op.array_length, op.add and op.concat_strings with JavaScript
// semantics; anything else answers ret_code 1 "service S.F not found".
func Builtin(service, function string, args []any) Answer {
	if service == "op" {
		switch function {
		case "identity":
			switch len(args) {
			case 0:
				return Answer{Result: nil}
			case 1:
				return Answer{Result: args[0]}
			}
			return Answer{Result: args}
		case "noop":
			return Answer{Result: nil}
		case "array":
			return Answer{Result: args}
		case "concat":
			out := []any{}
			for _, a := range args {
				if l, ok := a.([]any); ok {
					out = append(out, l...)
				} else {
					out = append(out, a)
				}
			}
			return Answer{Result: out}
		case "array_length":
			if len(args) > 0 {
				if l, ok := args[0].([]any); ok {
					return Answer{Result: float64(len(l))}
				}
			}
			return Answer{Result: float64(0)}
		case "add":
			sum := 0.0
			for _, a := range args {
				f, ok := a.(float64)
				if !ok {
					return Answer{RetCode: 1, Result: "op.add expects numbers"}
				}
				sum += f
			}
			return Answer{Result: sum}
		case "concat_strings":
			s := ""
			for _, a := range args {
				s += jsjson.ToString(a)
			}
			return Answer{Result: s}
		}
	}
	return Answer{RetCode: 1, Result: fmt.Sprintf("service %s.%s not found", service, function)}
}
