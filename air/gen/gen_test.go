package gen

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDeterministic(t *testing.T) {
	for i := range 50 {
		a, _ := Valid(3, i).JSON()
		b, _ := Valid(3, i).JSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("valid case %d of seed 3 differs between two runs", i)
		}
		a, _ = Malformed(3, i).JSON()
		b, _ = Malformed(3, i).JSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("malformed case %d of seed 3 differs between two runs", i)
		}
	}
	// other seeds and indexes give other programs
	seen := map[string]bool{}
	for s := range uint64(5) {
		for i := range 20 {
			seen[Valid(s, i).Script] = true
		}
	}
	if len(seen) < 90 {
		t.Errorf("only %d distinct scripts in 100 cases", len(seen))
	}
}

var placeholder = regexp.MustCompile(`\{\{([A-Za-z0-9_.-]+)\}\}`)

// checkSchema checks a case against the corpus schema (../shared/oracle/README.md).
func checkSchema(t *testing.T, c *Case) {
	t.Helper()
	text, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(text, &m); err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	allowed := map[string]bool{"name": true, "description": true, "tags": true, "peers": true, "init_peer": true,
		"script": true, "services": true, "particle": true, "peer_seeds": true, "max_invocations": true}
	for k := range m {
		if !allowed[k] {
			t.Errorf("%s: unknown field %q", c.Name, k)
		}
	}
	if c.Name == "" || c.Script == "" && !c.IsMalformed() {
		t.Errorf("%s: empty name or script", c.Name)
	}
	if len(c.Peers) < 1 || len(c.Peers) > 4 {
		t.Errorf("%s: %d peers", c.Name, len(c.Peers))
	}
	peers := map[string]bool{}
	for _, p := range c.Peers {
		if peers[p] {
			t.Errorf("%s: peer %s twice", c.Name, p)
		}
		peers[p] = true
	}
	if !peers[c.InitPeer] {
		t.Errorf("%s: init peer %q is not a peer", c.Name, c.InitPeer)
	}
	if c.MaxInvocations <= 0 || c.MaxInvocations > 200 {
		t.Errorf("%s: max_invocations %d", c.Name, c.MaxInvocations)
	}
	for _, mm := range placeholder.FindAllStringSubmatch(string(text), -1) {
		if !peers[mm[1]] {
			t.Errorf("%s: placeholder %s names no peer", c.Name, mm[0])
		}
	}
	for table, answers := range c.Services {
		if table != "*" && !peers[table] {
			t.Errorf("%s: services table %q is not a peer", c.Name, table)
		}
		for key, a := range answers {
			if key != "*" && !strings.Contains(key, ".") {
				t.Errorf("%s: service key %q", c.Name, key)
			}
			checkAnswer(t, c.Name, key, a)
		}
	}
}

func checkAnswer(t *testing.T, name, key string, a any) {
	obj, ok := a.(map[string]any)
	if !ok || len(obj) == 0 {
		return
	}
	spec := true
	for k := range obj {
		switch k {
		case "result", "ret_code", "seq", "behaviour":
		default:
			spec = false
		}
	}
	if !spec {
		return
	}
	if b, ok := obj["behaviour"]; ok {
		switch b {
		case "echo", "defer", "builtin":
		default:
			t.Errorf("%s: %s: behaviour %v", name, key, b)
		}
	}
	if s, ok := obj["seq"]; ok {
		list, ok := s.([]any)
		if !ok || len(list) == 0 {
			t.Errorf("%s: %s: seq is not a non-empty list", name, key)
		}
	}
}

func TestSchema(t *testing.T) {
	for i := range 300 {
		checkSchema(t, Valid(11, i))
		c := Malformed(11, i)
		checkSchema(t, c)
		if !c.IsMalformed() {
			t.Errorf("%s: not tagged malformed", c.Name)
		}
	}
}

// TestValidScripts checks what can be checked without the AVM (the real check is
// air/difftest's TestGeneratedCasesAreInteresting, which runs them): balanced brackets,
// ASCII-only lambdas, canon names of two or more letters.
func TestValidScripts(t *testing.T) {
	for i := range 500 {
		c := Valid(5, i)
		if c.IsMalformed() {
			t.Fatalf("%s tagged malformed", c.Name)
		}
		depth := map[byte]int{}
		for _, tok := range lex(c.Script) {
			word := c.Script[tok.start:tok.end]
			switch tok.kind {
			case '(', '[':
				depth[tok.kind]++
			case ')':
				depth['(']--
			case ']':
				depth['[']--
			case '"':
				if !strings.HasSuffix(word, `"`) || len(word) < 2 {
					t.Errorf("%s: unclosed string %q", c.Name, word)
				}
			case 'w':
				if strings.Contains(word, ".$") || strings.HasSuffix(word, ".length") {
					for j := 0; j < len(word); j++ {
						if word[j] >= utf8.RuneSelf {
							t.Errorf("%s: non-ASCII lambda %q", c.Name, word)
							break
						}
					}
					if strings.HasPrefix(word, "#") {
						name := strings.TrimLeft(word[:strings.IndexByte(word, '.')], "#$%")
						if len(name) < 2 {
							t.Errorf("%s: one-letter canon name with a lambda %q", c.Name, word)
						}
					}
				}
			}
			if depth['('] < 0 || depth['['] < 0 {
				t.Fatalf("%s: unbalanced brackets:\n%s", c.Name, c.Script)
			}
		}
		if depth['('] != 0 || depth['['] != 0 {
			t.Errorf("%s: unbalanced brackets:\n%s", c.Name, c.Script)
		}
	}
}

func TestMalformedDiffers(t *testing.T) {
	kinds := map[string]bool{}
	for i := range 300 {
		c := Malformed(2, i)
		for _, tag := range c.Tags {
			if strings.HasPrefix(tag, "mutation_") {
				kinds[tag] = true
			}
		}
	}
	if len(kinds) < 30 {
		t.Errorf("only %d mutation kinds in 300 malformed cases: %v", len(kinds), kinds)
	}
}

func TestLex(t *testing.T) {
	s := "(seq ; c (x\n (call x.$.[0] (\"a b\" \"f\") [y.$.a[1]]) z)"
	var got []string
	for _, tok := range lex(s) {
		got = append(got, s[tok.start:tok.end])
	}
	want := []string{"(", "seq", "; c (x", "(", "call", "x.$.[0]", "(", `"a b"`, `"f"`, ")", "[", "y.$.a[1]", "]", ")", "z", ")"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lex:\n got %q\nwant %q", got, want)
	}
}

func TestShrink(t *testing.T) {
	s := "(seq\n  (call %init_peer_id% (\"op\" \"noop\") [] x) ; c\n  (xor (ap (\"k\" x) %m) (null))\n)"
	got := Shrink(s)
	want := []string{
		"(null)",
		"(xor (ap (\"k\" x) %m) (null))",
		`(call %init_peer_id% ("op" "noop") [] x)`,
		"(seq\n  (null) ; c\n  (xor (ap (\"k\" x) %m) (null))\n)",
		"(seq\n  (call %init_peer_id% (\"op\" \"noop\") [] x) ; c\n  (null)\n)",
		"(seq\n  (call %init_peer_id% (\"op\" \"noop\") [] x) ; c\n  (ap (\"k\" x) %m)\n)",
		"(seq\n  (call %init_peer_id% (\"op\" \"noop\") [] x) ; c\n  (xor (null) (null))\n)",
		"(seq\n  (call %init_peer_id% (\"op\" \"noop\") [] x)\n  (xor (ap (\"k\" x) %m) (null))\n)",
	}
	if strings.Join(got, "\n--\n") != strings.Join(want, "\n--\n") {
		t.Errorf("Shrink:\n%s", strings.Join(got, "\n--\n"))
	}
	if instructions("(seq (null)") != nil {
		t.Error("unbalanced script has instructions")
	}
}
