package value

import (
	"strconv"
	"strings"
	"testing"
)

// benchDoc is a service-result-like document: nested objects, arrays, strings,
// integers and floats.
var benchDoc = func() []byte {
	var b strings.Builder
	b.WriteString(`{"peers":[`)
	for i := range 50 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"peer_id":"12D3KooWRXNDQXQjnaS5BNxZu7wSQrhZrhsmz6mZwycFzfz944gD","score":` +
			strconv.Itoa(i*37) + `,"weight":0.` + strconv.Itoa(i+1) + `,"tags":["a","b\n"],"ok":true,"x":null}`)
	}
	b.WriteString(`],"name":"bench"}`)
	return []byte(b.String())
}()

func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		if _, err := Parse(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	v, err := Parse(benchDoc)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 2*len(benchDoc))
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		buf = AppendJSON(buf[:0], v)
	}
}

func BenchmarkFloatString(b *testing.B) {
	n := Float(123456.789e-3)
	var buf []byte
	for b.Loop() {
		buf = n.appendJSON(buf[:0])
	}
}

// BenchmarkPlainEnd scans long strings without escapes, as a multi-megabyte service
// result is scanned: ASCII text, and text with a multi-byte character every 64 bytes.
func BenchmarkPlainEnd(b *testing.B) {
	for _, tc := range []struct {
		name string
		unit string
	}{
		{"ascii", strings.Repeat("abcdefghijklmnopqrstuvwxyz012345", 2)},
		{"utf8", strings.Repeat("abcdefghijklmnopqrstuvwxyz0123", 2) + "é"},
	} {
		for _, n := range []int{4 << 10, 16 << 20} {
			doc := []byte(strings.Repeat(tc.unit, n/len(tc.unit)) + `"`)
			b.Run(tc.name+"-"+strconv.Itoa(n), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					if end, _ := plainEnd(doc, 0); end != len(doc)-1 {
						b.Fatal(end)
					}
				}
			})
		}
	}
}
