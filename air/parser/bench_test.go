package parser

import (
	"math/rand"
	"strings"
	"testing"
)

// benchScript builds a script shaped like AquaVM's parser_10000_100 benchmark: a fold
// over a stream whose body is a random binary tree of seq over n (ap i NAME) and (null)
// leaves, NAME being random names of up to 100 letters.
func benchScript(n int) string {
	r := rand.New(rand.NewSource(10000))
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var b strings.Builder
	var gen func(n int)
	gen = func(n int) {
		if n == 1 {
			if r.Intn(4) == 0 {
				b.WriteString("(null)")
				return
			}
			b.WriteString("(ap i ")
			for k := 1 + r.Intn(100); k > 0; k-- {
				b.WriteByte(letters[r.Intn(len(letters))])
			}
			b.WriteByte(')')
			return
		}
		k := 1 + r.Intn(n-1)
		b.WriteString("(seq ")
		gen(k)
		b.WriteByte(' ')
		gen(n - k)
		b.WriteByte(')')
	}
	b.WriteString(`(seq (call "peer" ("serv" "func") [] stream) (fold stream i (seq `)
	gen(n)
	b.WriteString(" (next i))))")
	return b.String()
}

func BenchmarkParse10000(b *testing.B) {
	s := benchScript(10000)
	if _, err := Parse(s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLR10000 measures the LR parser alone (the path taken for scripts with
// syntax errors).
func BenchmarkParseLR10000(b *testing.B) {
	s := benchScript(10000)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := parseLR(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCorpus(b *testing.B) {
	scripts := corpusScripts(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range scripts {
			_, _ = Parse(s)
		}
	}
}

func BenchmarkParseError(b *testing.B) {
	s := benchScript(10000)
	s = s[:len(s)/2] + " x " + s[len(s)/2:]
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(s); err == nil {
			b.Fatal("no error")
		}
	}
}
