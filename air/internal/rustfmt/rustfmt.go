// Package rustfmt renders values the way Rust's Debug formatting does, for error messages
// that must read exactly like AquaVM's.
package rustfmt

import (
	"fmt"
	"strings"
	"unicode"
)

// DebugStr quotes s like Rust's `{:?}` for str.
func DebugStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		default:
			writeRustEscaped(&b, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// DebugChar quotes r like Rust's `{:?}` for char (semver prints '\0' the same way).
func DebugChar(r rune) string {
	var b strings.Builder
	b.WriteByte('\'')
	if r == '\'' {
		b.WriteString(`\'`)
	} else {
		writeRustEscaped(&b, r)
	}
	b.WriteByte('\'')
	return b.String()
}

func writeRustEscaped(b *strings.Builder, r rune) {
	switch r {
	case '\\':
		b.WriteString(`\\`)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	case 0:
		b.WriteString(`\0`)
	default:
		// Rust escapes what it does not consider printable and grapheme extenders;
		// Go's tables are a close approximation.
		if (!unicode.IsPrint(r) && r != ' ') || unicode.In(r, unicode.Mn, unicode.Me) {
			fmt.Fprintf(b, `\u{%x}`, r)
			return
		}
		b.WriteRune(r)
	}
}
