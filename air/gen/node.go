package gen

import "strings"

// node is one instruction of a generated script: "(" head kids... ")".
type node struct {
	head    string  // the keyword and its inline operands, e.g. `call %init_peer_id% ("op" "noop") []`
	kids    []*node // child instructions
	comment string  // printed on its own line before the node (multi-line layout only)
	trail   string  // comment printed after the node's closing parenthesis (multi-line layout only)
	compact bool    // print the node and its children on one line
}

func mk(head string, kids ...*node) *node { return &node{head: head, kids: kids} }

// size is the number of instructions in the subtree.
func (n *node) size() int {
	s := 1
	for _, k := range n.kids {
		s += k.size()
	}
	return s
}

// walk calls f on every node of the subtree, parents first; parent is nil for n itself.
func (n *node) walk(f func(x, parent *node, idx int)) {
	var rec func(x, p *node, i int)
	rec = func(x, p *node, i int) {
		f(x, p, i)
		for j, k := range x.kids {
			rec(k, x, j)
		}
	}
	rec(n, nil, 0)
}

func (n *node) String() string {
	var b strings.Builder
	n.print(&b, 0, false)
	return b.String()
}

func (n *node) print(b *strings.Builder, indent int, oneLine bool) {
	oneLine = oneLine || n.compact || len(n.kids) == 0
	b.WriteByte('(')
	b.WriteString(n.head)
	if oneLine {
		for _, k := range n.kids {
			b.WriteByte(' ')
			k.print(b, indent, true)
		}
		b.WriteByte(')')
		return
	}
	pad := strings.Repeat("  ", indent+1)
	for _, k := range n.kids {
		b.WriteByte('\n')
		if k.comment != "" {
			b.WriteString(pad)
			b.WriteString("; ")
			b.WriteString(k.comment)
			b.WriteByte('\n')
		}
		b.WriteString(pad)
		k.print(b, indent+1, false)
		if k.trail != "" {
			b.WriteString(" ; ")
			b.WriteString(k.trail)
		}
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat("  ", indent))
	b.WriteByte(')')
}
