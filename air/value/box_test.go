package value

import (
	"fmt"
	"runtime"
	"testing"
)

func TestBoxesMakeOrdinaryValues(t *testing.T) {
	var b boxes
	var vals []Value
	var want []Value
	for i := range 2000 { // several chunks of each slab
		s := fmt.Sprintf("s%d", i)
		n := Int(int64(i) - 1000)
		vals = append(vals, b.string(s), b.number(n))
		want = append(want, s, n)
	}
	vals = append(vals, b.string(""))
	want = append(want, "")
	runtime.GC() // the chunks must be kept alive by the values alone
	for i, v := range vals {
		if v != want[i] {
			t.Fatalf("value %d: %#v, want %#v", i, v, want[i])
		}
		switch x := v.(type) {
		case string:
			if x != want[i].(string) {
				t.Fatalf("value %d: string %q", i, x)
			}
		case Number:
			if !Equal(x, want[i]) {
				t.Fatalf("value %d: number %v", i, x)
			}
		default:
			t.Fatalf("value %d: type %T", i, v)
		}
	}
	if got := string(Marshal(vals[:4])); got != `["s0",-1000,"s1",-999]` {
		t.Fatalf("marshal: %s", got)
	}
}
