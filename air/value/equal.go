package value

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Equal reports whether a and b are equal as AquaVM's JValue compares them:
// structurally, with numbers equal only within the same serde_json variant (the
// integer 1 is not the float 1.0; 0.0 equals -0.0) and objects equal when they
// hold the same keys with equal values.
func Equal(a, b Value) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case Number:
		y, ok := b.(Number)
		return ok && x.Equal(y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []Value:
		y, ok := b.([]Value)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			if x.keys[i] != y.keys[i] || !Equal(x.vals[i], y.vals[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// FromGo converts an encoding/json style tree into a Value. It accepts nil, bool,
// string, json.Number (parsed with serde_json's number rules), float64 and float32
// (always floats: decode with json.Decoder.UseNumber to keep integers), Go integer
// types, json.RawMessage (parsed), map[string]any, []any, and values that already
// are Numbers or *Objects. Non-finite floats and other types are errors.
func FromGo(x any) (Value, error) {
	switch v := x.(type) {
	case nil, bool, string, Number:
		return v, nil
	case *Object:
		if v == nil {
			return NewObject(0), nil
		}
		o := &Object{keys: append([]string(nil), v.keys...), vals: make([]Value, len(v.vals))}
		for i, e := range v.vals {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			o.vals[i] = c
		}
		return o, nil
	case json.Number:
		n, err := Parse([]byte(v))
		if err != nil {
			return nil, fmt.Errorf("value: json.Number %q: %w", string(v), err)
		}
		if _, ok := n.(Number); !ok {
			return nil, fmt.Errorf("value: json.Number %q is not a number", string(v))
		}
		return n, nil
	case json.RawMessage:
		return Parse(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("value: %v is not a JSON number", v)
		}
		return Float(v), nil
	case float32:
		return FromGo(float64(v))
	case int:
		return Int(int64(v)), nil
	case int8:
		return Int(int64(v)), nil
	case int16:
		return Int(int64(v)), nil
	case int32:
		return Int(int64(v)), nil
	case int64:
		return Int(v), nil
	case uint:
		return Uint(uint64(v)), nil
	case uint8:
		return Uint(uint64(v)), nil
	case uint16:
		return Uint(uint64(v)), nil
	case uint32:
		return Uint(uint64(v)), nil
	case uint64:
		return Uint(v), nil
	case []any:
		arr := make([]Value, len(v))
		for i, e := range v {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			arr[i] = c
		}
		return arr, nil
	case map[string]any:
		o := NewObject(len(v))
		for k, e := range v {
			c, err := FromGo(e)
			if err != nil {
				return nil, err
			}
			o.Set(k, c)
		}
		return o, nil
	}
	return nil, fmt.Errorf("value: cannot convert %T to a JSON value", x)
}

// ToGo converts v into an encoding/json style tree: nil, bool, string, json.Number
// (serde_json's text of the number), []any and map[string]any. Non-finite floats
// become nil, as they serialize to null.
func ToGo(v Value) any {
	switch x := v.(type) {
	case Number:
		if x.IsFloat() {
			f := x.Float64()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil
			}
		}
		return json.Number(x.String())
	case []Value:
		arr := make([]any, len(x))
		for i, e := range x {
			arr[i] = ToGo(e)
		}
		return arr
	case *Object:
		m := make(map[string]any, x.Len())
		x.Range(func(k string, e Value) bool {
			m[k] = ToGo(e)
			return true
		})
		return m
	}
	return v
}

// TypeName names the JSON type of v for messages: "null", "boolean", "number",
// "string", "array" or "object".
func TypeName(v Value) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case Number:
		return "number"
	case string:
		return "string"
	case []Value:
		return "array"
	case *Object:
		return "object"
	}
	return "invalid(" + strconv.Quote(fmt.Sprintf("%T", v)) + ")"
}
