package rawbuf

import (
	"runtime"
	"testing"
)

func TestMake(t *testing.T) {
	for _, n := range []int{0, 1, 100, zeroLimit - 1, zeroLimit, 1 << 20, 5<<20 + 3} {
		b := Make(n)
		if len(b) != 0 || cap(b) < n {
			t.Fatalf("Make(%d): len %d cap %d", n, len(b), cap(b))
		}
		b = b[:n]
		for i := range b {
			b[i] = byte(i * 7)
		}
		runtime.GC()
		for i := range b {
			if b[i] != byte(i*7) {
				t.Fatalf("Make(%d): byte %d changed after a collection", n, i)
			}
		}
		if n > 0 {
			c := append(b, 1) // grows past the capacity: a copy, the original stays
			if c[n] != 1 || c[0] != b[0] {
				t.Fatalf("Make(%d): append went wrong", n)
			}
		}
	}
}
