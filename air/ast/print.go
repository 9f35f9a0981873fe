package ast

import (
	"strconv"
	"strings"
)

// The String methods print instructions and values the way AquaVM's Display
// implementations do; the interpreter puts these texts into error objects
// (:error:.$.instruction) and lambdas into tetraplet lenses.

// String prints the value as it is written in AIR: literals quoted, numbers in Rust's
// notation, variables by name followed by their lambda, and "" for KindNone.
func (v Value) String() string {
	var b strings.Builder
	v.writeTo(&b)
	return b.String()
}

func (v *Value) writeTo(b *strings.Builder) {
	switch v.Kind {
	case KindNone:
	case KindInitPeerID:
		b.WriteString("%init_peer_id%")
	case KindTimestamp:
		b.WriteString("%timestamp%")
	case KindTTL:
		b.WriteString("%ttl%")
	case KindLastError:
		b.WriteString("%last_error%")
		v.Lambda.writeTo(b)
	case KindError:
		b.WriteString(":error:")
		v.Lambda.writeTo(b)
	case KindLiteral:
		b.WriteByte('"')
		b.WriteString(v.Str())
		b.WriteByte('"')
	case KindInt:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case KindFloat:
		b.WriteString(FormatFloat(v.Float()))
	case KindBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case KindEmptyArray:
		b.WriteString("[]")
	default:
		b.WriteString(v.Name)
		v.Lambda.writeTo(b)
	}
}

// FormatFloat prints a float as Rust's Display for f64 does: the shortest decimal that
// reads back to the same number, never in exponent notation ("1", "0.1", "-0", "inf").
func FormatFloat(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case f > 1.7976931348623157e308:
		return "inf"
	case f < -1.7976931348623157e308:
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// String prints the lambda as AquaVM does: ".length", or ".$." followed by the
// accessors joined by "." (a field name as is, an index as [N], a scalar as [name]).
func (l *Lambda) String() string {
	var b strings.Builder
	l.writeTo(&b)
	return b.String()
}

func (l *Lambda) writeTo(b *strings.Builder) {
	if l == nil {
		return
	}
	if l.Length {
		b.WriteString(".length")
		return
	}
	b.WriteString(".$.")
	for i, a := range l.Accessors {
		if i > 0 {
			b.WriteByte('.')
		}
		switch a.Kind {
		case ArrayAccess:
			b.WriteByte('[')
			b.WriteString(strconv.FormatUint(uint64(a.Index), 10))
			b.WriteByte(']')
		case FieldByName:
			b.WriteString(a.Name)
		case FieldByScalar:
			b.WriteByte('[')
			b.WriteString(a.Name)
			b.WriteByte(']')
		}
	}
}

func join(parts ...*Value) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(' ')
		}
		p.writeTo(&b)
	}
	return b.String()
}

// String prints e.g. `call "peer" ("service" "function") [arg1 arg2] result`; without an
// output the text ends with a space, as in AquaVM.
func (c *Call) String() string {
	var b strings.Builder
	b.WriteString("call ")
	c.Peer.writeTo(&b)
	b.WriteString(" (")
	c.Service.writeTo(&b)
	b.WriteByte(' ')
	c.Function.writeTo(&b)
	b.WriteString(") [")
	for i := range c.Args {
		if i > 0 {
			b.WriteByte(' ')
		}
		c.Args[i].writeTo(&b)
	}
	b.WriteString("] ")
	c.Output.writeTo(&b)
	return b.String()
}

// String prints "ap ARGUMENT RESULT".
func (a *Ap) String() string { return "ap " + join(&a.Arg, &a.Result) }

// String prints "ap (KEY VALUE) %map".
func (a *ApMap) String() string {
	return "ap (" + join(&a.Key, &a.Value) + ") " + a.Map.String()
}

// String prints "canon PEER $stream #$canon".
func (c *Canon) String() string { return "canon " + join(&c.Peer, &c.Stream, &c.Canon) }

// String prints "canon PEER %map #%canon".
func (c *CanonMap) String() string { return "canon " + join(&c.Peer, &c.StreamMap, &c.CanonMap) }

// String prints "canon PEER %map scalar".
func (c *CanonMapScalar) String() string {
	return "canon " + join(&c.Peer, &c.StreamMap, &c.Scalar)
}

// String prints "seq".
func (*Seq) String() string { return "seq" }

// String prints "par".
func (*Par) String() string { return "par" }

// String prints "xor".
func (*Xor) String() string { return "xor" }

// String prints "match LEFT RIGHT".
func (m *Match) String() string { return "match " + join(&m.Left, &m.Right) }

// String prints "mismatch LEFT RIGHT".
func (m *Mismatch) String() string { return "mismatch " + join(&m.Left, &m.Right) }

// String prints the fail instruction with its operand, e.g. `fail 1 "message"`.
func (f *Fail) String() string {
	switch f.Kind {
	case FailLiteral:
		return "fail " + strconv.FormatInt(f.RetCode, 10) + ` "` + f.Message + `"`
	case FailLastError:
		return "fail %last_error%"
	case FailError:
		return "fail :error:"
	}
	return "fail " + f.Value.String()
}

// String prints "fold ITERABLE ITERATOR".
func (f *Fold) String() string { return "fold " + f.Iterable.String() + " " + f.Iterator }

// String prints "next ITERATOR".
func (n *Next) String() string { return "next " + n.Iterator }

// String prints "new VARIABLE".
func (n *New) String() string { return "new " + n.Arg.String() }

// String prints "null".
func (*Null) String() string { return "null" }

// String prints "never".
func (*Never) String() string { return "never" }
