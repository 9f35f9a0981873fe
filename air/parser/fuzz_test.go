package parser

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func addCorpusSeeds(f *testing.F) {
	for _, s := range corpusScripts(f) {
		f.Add(s)
	}
	for _, s := range handwrittenScripts {
		f.Add(s)
	}
}

// FuzzParse checks that Parse never panics or hangs, that a failure is always an
// *Error with a well-formed report, and that the fast path and the LR parser agree.
func FuzzParse(f *testing.F) {
	addCorpusSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		in, err := Parse(s)
		if err != nil {
			pe, ok := err.(*Error)
			if !ok {
				t.Fatalf("error of type %T", err)
			}
			if !strings.HasPrefix(pe.Error(), ErrorPrefix+"error: \n") || !strings.HasSuffix(pe.Error(), "\n\n") {
				t.Fatalf("malformed report %q", pe.Error())
			}
			if len(pe.Labels) == 0 {
				t.Fatal("error without labels")
			}
			if in != nil {
				t.Fatal("tree returned with an error")
			}
		} else {
			if in == nil {
				t.Fatal("no tree and no error")
			}
			_ = in.String()
		}
		lrIn, syntaxOK, lrErr := parseLR(s)
		fastIn, fastOK, fastErr := parseFast(s)
		if syntaxOK != fastOK {
			t.Fatalf("LR syntax ok %v, fast path %v", syntaxOK, fastOK)
		}
		if fastOK {
			if (lrErr == nil) != (fastErr == nil) || lrErr != nil && lrErr.Error() != fastErr.Error() {
				t.Fatalf("LR error %v, fast path error %v", lrErr, fastErr)
			}
			if !reflect.DeepEqual(lrIn, fastIn) {
				t.Fatal("the parsers build different trees")
			}
		}
	})
}

// FuzzParseLambda checks that the lambda parser never panics and that what it accepts
// prints back to a lambda that parses to the same thing.
func FuzzParseLambda(f *testing.F) {
	for _, s := range []string{".$.a", ".$.[0]", ".$.a.[1].[i]!", ".length", ".$", ".$.[", ".$a", ".$.a.b!.c", ".x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLambda(s)
		if err != nil {
			if l != nil || err.Error() == "" {
				t.Fatalf("lambda %v with error %q", l, err)
			}
			return
		}
		if !utf8.ValidString(s) {
			return
		}
		again, err := ParseLambda(l.String())
		if err != nil {
			t.Fatalf("%q prints as %q, which does not parse: %v", s, l.String(), err)
		}
		if !reflect.DeepEqual(l, again) {
			t.Fatalf("%q prints as %q, which parses differently", s, l.String())
		}
	})
}
