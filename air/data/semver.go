package data

import (
	"strings"

	"github.com/cascadep2p/cascade/air/internal/rustfmt"
)

// semver holds the parts of a strict semantic version that matter for ordering.
type semver struct {
	major, minor, patch uint64
	pre                 string // pre-release identifiers, "" if none
}

// semverPart names the part of a version being parsed, as the Rust semver crate does.
type semverPart string

const (
	partMajor semverPart = "major version number"
	partMinor semverPart = "minor version number"
	partPatch semverPart = "patch version number"
	partPre   semverPart = "pre-release identifier"
	partBuild semverPart = "build metadata"
)

// parseSemver parses text with the rules of the Rust semver crate 1.0 (strict
// MAJOR.MINOR.PATCH[-PRE][+BUILD], no leading zeros, no spaces) and returns that crate's
// error message on failure, since AquaVM forwards it verbatim.
func parseSemver(text string) (semver, string) {
	var v semver
	if text == "" {
		return v, "empty string, expected a semver version"
	}
	var msg string
	rest := text
	if v.major, rest, msg = semverNumber(rest, partMajor); msg != "" {
		return v, msg
	}
	if rest, msg = semverDot(rest, partMajor); msg != "" {
		return v, msg
	}
	if v.minor, rest, msg = semverNumber(rest, partMinor); msg != "" {
		return v, msg
	}
	if rest, msg = semverDot(rest, partMinor); msg != "" {
		return v, msg
	}
	if v.patch, rest, msg = semverNumber(rest, partPatch); msg != "" {
		return v, msg
	}
	pos := partPatch
	if r, ok := strings.CutPrefix(rest, "-"); ok {
		pos = partPre
		var id string
		if id, rest, msg = semverIdent(r, partPre); msg != "" {
			return v, msg
		}
		if id == "" {
			return v, "empty identifier segment in " + string(partPre)
		}
		v.pre = id
	}
	if r, ok := strings.CutPrefix(rest, "+"); ok {
		pos = partBuild
		var id string
		if id, rest, msg = semverIdent(r, partBuild); msg != "" {
			return v, msg
		}
		if id == "" {
			return v, "empty identifier segment in " + string(partBuild)
		}
	}
	if rest != "" {
		return v, "unexpected character " + rustfmt.DebugChar([]rune(rest)[0]) + " after " + string(pos)
	}
	return v, ""
}

func semverNumber(s string, pos semverPart) (uint64, string, string) {
	var n uint64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n == 0 && i > 0 {
			return 0, s, "invalid leading zero in " + string(pos)
		}
		d := uint64(s[i] - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, s, "value of " + string(pos) + " exceeds u64::MAX"
		}
		n = n*10 + d
		i++
	}
	if i > 0 {
		return n, s[i:], ""
	}
	if s != "" {
		return 0, s, "unexpected character " + rustfmt.DebugChar([]rune(s)[0]) + " while parsing " + string(pos)
	}
	return 0, s, "unexpected end of input while parsing " + string(pos)
}

func semverDot(s string, pos semverPart) (string, string) {
	if r, ok := strings.CutPrefix(s, "."); ok {
		return r, ""
	}
	if s != "" {
		return s, "unexpected character " + rustfmt.DebugChar([]rune(s)[0]) + " after " + string(pos)
	}
	return s, "unexpected end of input while parsing " + string(pos)
}

// semverIdent reads dot-separated [0-9A-Za-z-]+ segments; it returns the identifier, the
// rest of the input and an error message.
func semverIdent(s string, pos semverPart) (string, string, string) {
	acc, seg := 0, 0
	nonDigit := false
	for {
		var c byte
		have := acc+seg < len(s)
		if have {
			c = s[acc+seg]
		}
		switch {
		case have && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-'):
			seg++
			nonDigit = true
			continue
		case have && c >= '0' && c <= '9':
			seg++
			continue
		}
		dot := have && c == '.'
		if seg == 0 {
			if acc == 0 && !dot {
				return "", s, ""
			}
			return "", s, "empty identifier segment in " + string(pos)
		}
		if pos == partPre && seg > 1 && !nonDigit && s[acc] == '0' {
			return "", s, "invalid leading zero in " + string(pos)
		}
		acc += seg
		if !dot {
			return s[:acc], s[acc:], ""
		}
		acc++
		seg = 0
		nonDigit = false
	}
}

// less reports whether v orders before w, ignoring build metadata (enough for the
// minimum-version check: build metadata only orders among otherwise equal versions).
func (v semver) less(w semver) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	if v.patch != w.patch {
		return v.patch < w.patch
	}
	return preLess(v.pre, w.pre)
}

// preLess orders pre-release strings: none is greatest; otherwise by identifiers,
// numeric ones numerically and below alphanumeric ones, a shorter prefix first.
func preLess(a, b string) bool {
	if a == b {
		return false
	}
	if a == "" {
		return false
	}
	if b == "" {
		return true
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, y := as[i], bs[i]
		if x == y {
			continue
		}
		xn, yn := isDigits(x), isDigits(y)
		switch {
		case xn && yn:
			if len(x) != len(y) {
				return len(x) < len(y)
			}
			return x < y
		case xn:
			return true
		case yn:
			return false
		default:
			return x < y
		}
	}
	return len(as) < len(bs)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// CheckVersion applies AquaVM's check on current data: interpreterVersion must be a
// semver not below MinInterpreterVersion. It returns a *VersionError otherwise.
func CheckVersion(interpreterVersion string) error {
	v, msg := parseSemver(interpreterVersion)
	if msg != "" {
		return &VersionError{Actual: interpreterVersion}
	}
	min, _ := parseSemver(MinInterpreterVersion)
	if v.less(min) {
		return &VersionError{Actual: interpreterVersion}
	}
	return nil
}
