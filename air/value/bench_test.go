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
