package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/cascadep2p/cascade/air/ast"
)

// varPos is a variable occurrence: its name and byte position.
type varPos struct {
	Name string
	Pos  int
}

// positionsOf lists the variables (with positions) and the fold / new spans of a tree.
func positionsOf(in ast.Instruction) (vars []varPos, spans []ast.Span) {
	val := func(v ast.Value) {
		if v.IsVariable() {
			vars = append(vars, varPos{v.Name, int(v.Pos)})
		}
	}
	var walk func(ast.Instruction)
	walk = func(in ast.Instruction) {
		switch n := in.(type) {
		case *ast.Call:
			val(n.Peer)
			val(n.Service)
			val(n.Function)
			for _, a := range n.Args {
				val(a)
			}
			val(n.Output)
		case *ast.Ap:
			val(n.Arg)
			val(n.Result)
		case *ast.ApMap:
			val(n.Key)
			val(n.Value)
			val(n.Map)
		case *ast.Canon:
			val(n.Peer)
			val(n.Stream)
			val(n.Canon)
		case *ast.CanonMap:
			val(n.Peer)
			val(n.StreamMap)
			val(n.CanonMap)
		case *ast.CanonMapScalar:
			val(n.Peer)
			val(n.StreamMap)
			val(n.Scalar)
		case *ast.Seq:
			walk(n.Left)
			walk(n.Right)
		case *ast.Par:
			walk(n.Left)
			walk(n.Right)
		case *ast.Xor:
			walk(n.Left)
			walk(n.Right)
		case *ast.Match:
			val(n.Left)
			val(n.Right)
			walk(n.Body)
		case *ast.Mismatch:
			val(n.Left)
			val(n.Right)
			walk(n.Body)
		case *ast.Fail:
			val(n.Value)
		case *ast.Fold:
			val(n.Iterable)
			spans = append(spans, n.Span)
			walk(n.Body)
			if n.Last != nil {
				walk(n.Last)
			}
		case *ast.New:
			val(n.Arg)
			spans = append(spans, n.Span)
			walk(n.Body)
		}
	}
	walk(in)
	return vars, spans
}

// positionsOfJSON extracts the same from AquaVM's serde AST (iterators excluded: the
// Go tree keeps only their names).
func positionsOfJSON(v any, vars *[]varPos, spans *[]ast.Span) {
	switch x := v.(type) {
	case map[string]any:
		if name, ok := x["name"].(string); ok {
			if pos, ok := x["position"].(float64); ok {
				*vars = append(*vars, varPos{name, int(pos)})
			}
		}
		if s, ok := x["span"].(map[string]any); ok {
			*spans = append(*spans, ast.Span{Left: ast.Pos(s["left"].(float64)), Right: ast.Pos(s["right"].(float64))})
		}
		for k, e := range x {
			if k == "iterator" || k == "Next" || k == "span" {
				continue
			}
			positionsOfJSON(e, vars, spans)
		}
	case []any:
		for _, e := range x {
			positionsOfJSON(e, vars, spans)
		}
	}
}

func sortPositions(vars []varPos, spans []ast.Span) string {
	sort.Slice(vars, func(i, j int) bool {
		if vars[i].Pos != vars[j].Pos {
			return vars[i].Pos < vars[j].Pos
		}
		return vars[i].Name < vars[j].Name
	})
	sort.Slice(spans, func(i, j int) bool { return spans[i].Left < spans[j].Left })
	return fmt.Sprint(vars, spans)
}

// TestPositionsAgainstAquaVM compares variable positions and fold / new spans with
// AquaVM's own syntax tree for every valid corpus script.
func TestPositionsAgainstAquaVM(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	if _, err := os.Stat(filepath.Join(oracleDir(), "node_modules", "@fluencelabs", "avm")); err != nil {
		t.Skip("oracle not installed: ", err)
	}
	var scripts []string
	var trees []ast.Instruction
	for _, s := range append(corpusScripts(t), handwrittenScripts...) {
		if in, err := Parse(s); err == nil {
			scripts = append(scripts, s)
			trees = append(trees, in)
		}
	}
	in, _ := json.Marshal(scripts)
	cmd := exec.Command(node, filepath.Join("testdata", "avm_ast.mjs"))
	cmd.Env = append(os.Environ(), "ORACLE_DIR="+oracleDir())
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var asts []string
	if err := json.Unmarshal(out, &asts); err != nil {
		t.Fatal(err)
	}
	for i, s := range scripts {
		var tree any
		if err := json.Unmarshal([]byte(asts[i]), &tree); err != nil {
			t.Errorf("%q: AquaVM returned %q", s, asts[i])
			continue
		}
		var wantVars []varPos
		var wantSpans []ast.Span
		positionsOfJSON(tree, &wantVars, &wantSpans)
		gotVars, gotSpans := positionsOf(trees[i])
		if want, got := sortPositions(wantVars, wantSpans), sortPositions(gotVars, gotSpans); want != got {
			t.Errorf("%q:\nAquaVM:  %s\nCascade: %s", s, want, got)
		}
	}
	t.Logf("%d scripts compared", len(scripts))
}
