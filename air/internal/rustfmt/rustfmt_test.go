package rustfmt

import "testing"

func TestDebugStr(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:       `"plain"`,
		"q\"b\\n\n\t": `"q\"b\\n\n\t"`,
		"nul\x00":     `"nul\0"`,
		"bell\x07":    `"bell\u{7}"`,
		"é ✓":         `"é ✓"`,
	} {
		if got := DebugStr(in); got != want {
			t.Errorf("DebugStr(%q) = %s, want %s", in, got, want)
		}
	}
	if got := DebugChar('\''); got != `'\''` {
		t.Errorf("DebugChar = %s", got)
	}
}
