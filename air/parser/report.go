package parser

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// AquaVM renders parse errors with the codespan-reporting crate (0.11, default
// configuration, no colours): one "error" diagnostic whose primary labels are the
// errors, each label a byte range of the script plus a message. This file lays such a
// diagnostic out the same way: line-number gutter, carets under single-line labels,
// hanging messages for labels sharing a line, box-drawing brackets for labels spanning
// several lines, elided lines between distant labels.

const (
	reportFileName    = "script.air"
	tabWidth          = 4
	startContextLines = 3
	endContextLines   = 1
)

// label is one error: a byte range of the script and a message.
type label struct {
	start, end int
	msg        string
}

// multiKind is the part of a multi-line label drawn on a line.
type multiKind uint8

const (
	multiTop multiKind = iota
	multiLeft
	multiBottom
)

type multiLabel struct {
	index int // which multi-line label (its column in the gutter)
	kind  multiKind
	pos   int // multiTop: start column (bytes); multiBottom: end column
	msg   string
}

type singleLabel struct {
	start, end int // byte columns within the line
	msg        string
}

type reportLine struct {
	index      int
	number     int
	start, end int // byte range of the line, newline included
	singles    []singleLabel
	multis     []multiLabel
	mustRender bool
}

type sourceFile struct {
	src        string
	lineStarts []int
}

func newSourceFile(src string) *sourceFile {
	f := &sourceFile{src: src, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			f.lineStarts = append(f.lineStarts, i+1)
		}
	}
	return f
}

func (f *sourceFile) lineIndex(byteIndex int) int {
	// binary search: the exact start, or the line before the insertion point
	lo, hi := 0, len(f.lineStarts)
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case f.lineStarts[mid] == byteIndex:
			return mid
		case f.lineStarts[mid] < byteIndex:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return lo - 1
}

func (f *sourceFile) lineStart(index int) int {
	if index < len(f.lineStarts) {
		return f.lineStarts[index]
	}
	return len(f.src)
}

func (f *sourceFile) lineRange(index int) (int, int) {
	return f.lineStart(index), f.lineStart(index + 1)
}

// columnNumber counts the characters of the line before byteIndex, plus one.
func (f *sourceFile) columnNumber(lineIndex, byteIndex int) int {
	ls, le := f.lineRange(lineIndex)
	end := byteIndex
	if le < end {
		end = le
	}
	if len(f.src) < end {
		end = len(f.src)
	}
	n := 0
	for i := ls; i < end; i++ {
		if i+1 >= len(f.src) || utf8.RuneStart(f.src[i+1]) {
			n++
		}
	}
	return n + 1
}

func countDigits(n int) int {
	c := 0
	for n != 0 {
		c++
		n /= 10
	}
	return c
}

// renderReport lays out the diagnostic for the labels (in the order given).
func renderReport(src string, labels []label) string {
	f := newSourceFile(src)
	lines := map[int]*reportLine{}
	getLine := func(index int) *reportLine {
		l, ok := lines[index]
		if !ok {
			s, e := f.lineRange(index)
			l = &reportLine{index: index, number: index + 1, start: s, end: e}
			lines[index] = l
		}
		return l
	}
	outerPadding := 0
	numMulti := 0
	locStart := -1
	locLine, locCol := 0, 0
	for _, lb := range labels {
		startLine := f.lineIndex(lb.start)
		endLine := f.lineIndex(lb.end)
		outerPadding = max(outerPadding, countDigits(startLine+1), countDigits(endLine+1))
		if locStart < 0 || locStart > lb.start {
			locStart = lb.start
			locLine = startLine + 1
			locCol = f.columnNumber(startLine, lb.start)
		}
		if startLine == endLine {
			l := getLine(startLine)
			ls := lb.start - l.start
			le := max(lb.end-l.start, ls+1)
			i := insertionIndex(l.singles, ls, le)
			l.singles = append(l.singles, singleLabel{})
			copy(l.singles[i+1:], l.singles[i:])
			l.singles[i] = singleLabel{ls, le, lb.msg}
			l.mustRender = true
			continue
		}
		idx := numMulti
		numMulti++
		sl := getLine(startLine)
		sl.multis = append(sl.multis, multiLabel{index: idx, kind: multiTop, pos: lb.start - sl.start})
		sl.mustRender = true
		for li := startLine + 1; li < endLine; li++ {
			outerPadding = max(outerPadding, countDigits(li+1))
			l := getLine(li)
			l.multis = append(l.multis, multiLabel{index: idx, kind: multiLeft})
			l.mustRender = l.mustRender || li-startLine <= startContextLines || endLine-li <= endContextLines
		}
		el := getLine(endLine)
		el.multis = append(el.multis, multiLabel{index: idx, kind: multiBottom, pos: lb.end - el.start, msg: lb.msg})
		el.mustRender = true
	}

	r := &renderer{pad: outerPadding, numMulti: numMulti}
	r.b.WriteString("error: \n")
	if len(lines) > 0 {
		r.outerGutter()
		r.b.WriteString("┌─ ")
		r.b.WriteString(reportFileName)
		r.b.WriteByte(':')
		r.b.WriteString(itoa(locLine))
		r.b.WriteByte(':')
		r.b.WriteString(itoa(locCol))
		r.b.WriteByte('\n')
		r.snippetEmpty()
	}
	var order []int
	for idx, l := range lines {
		if l.mustRender {
			order = append(order, idx)
		}
	}
	sort.Ints(order)
	for k, idx := range order {
		l := lines[idx]
		r.source(l.number, src[l.start:l.end], l.singles, l.multis)
		if k+1 < len(order) {
			switch order[k+1] - idx {
			case 1:
			case 2:
				var multis []multiLabel
				if mid, ok := lines[idx+1]; ok {
					multis = mid.multis
				}
				s, e := f.lineRange(idx + 1)
				r.source(idx+2, src[s:e], nil, multis)
			default:
				r.outerGutter()
				r.b.WriteString("·")
				r.innerGutter(l.multis)
				r.b.WriteByte('\n')
			}
		}
	}
	r.b.WriteByte('\n')
	return r.b.String()
}

// insertionIndex is where codespan inserts a single-line label among the sorted ones:
// the result of Rust's slice::binary_search_by (as of Rust 1.78) on (start, end).
func insertionIndex(ls []singleLabel, start, end int) int {
	cmp := func(l singleLabel) int {
		switch {
		case l.start < start || l.start == start && l.end < end:
			return -1
		case l.start == start && l.end == end:
			return 0
		}
		return 1
	}
	size := len(ls)
	left, right := 0, size
	for left < right {
		mid := left + size/2
		c := cmp(ls[mid])
		if c < 0 {
			left = mid + 1
		}
		if c > 0 {
			right = mid
		}
		if c == 0 {
			return mid
		}
		size = right - left
	}
	return left
}

// sortSearch is sort.Search: the smallest j in [0, n) with f(j), or n.
func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !f(m) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

type renderer struct {
	b        strings.Builder
	pad      int
	numMulti int
}

func (r *renderer) spaces(n int) {
	for i := 0; i < n; i++ {
		r.b.WriteByte(' ')
	}
}

func (r *renderer) outerGutter() {
	r.spaces(r.pad)
	r.b.WriteByte(' ')
}

func (r *renderer) snippetEmpty() {
	r.outerGutter()
	r.b.WriteString("│")
	r.innerGutter(nil)
	r.b.WriteByte('\n')
}

// innerGutter writes the columns of the multi-line labels (a vertical bar where a label
// continues through the line).
func (r *renderer) innerGutter(multis []multiLabel) {
	k := 0
	for col := 0; col < r.numMulti; col++ {
		if k < len(multis) && multis[k].index == col {
			if multis[k].kind == multiTop {
				r.b.WriteString("  ")
			} else {
				r.b.WriteString(" │")
			}
			k++
			continue
		}
		r.b.WriteString("  ")
	}
}

// charMetric is a character of a line with its byte offset and display width.
type charMetric struct {
	off         int
	r           rune
	size, width int8
}

func metrics(line string) []charMetric {
	out := make([]charMetric, 0, utf8.RuneCountInString(line))
	col := 0
	for off, r := range line {
		w := 0
		if r == '\t' {
			w = tabWidth - col%tabWidth
		} else {
			w = runeWidth(r)
		}
		col += w
		out = append(out, charMetric{off: off, size: int8(utf8.RuneLen(r)), width: int8(w), r: r})
	}
	return out
}

func overlaps(s1, e1, s2, e2 int) bool { return max(s1, s2) < min(e1, e2) }

func leadingSpace(s string) int {
	for i, r := range s {
		if !isSpace(r) {
			return i
		}
	}
	return len(s)
}

// source renders one line of the script with the labels on it.
func (r *renderer) source(number int, line string, singles []singleLabel, multis []multiLabel) {
	line = strings.TrimRight(line, "\n\r\x00")
	lead := leadingSpace(line)
	ms := metrics(line)

	// The source line itself.
	numStr := itoa(number)
	r.spaces(r.pad - len(numStr))
	r.b.WriteString(numStr)
	r.b.WriteByte(' ')
	r.b.WriteString("│")
	k := 0
	for col := 0; col < r.numMulti; col++ {
		if k < len(multis) && multis[k].index == col {
			switch {
			case multis[k].kind == multiTop && multis[k].pos <= lead:
				r.b.WriteString(" ╭")
			case multis[k].kind == multiTop:
				r.b.WriteString("  ")
			default:
				r.b.WriteString(" │")
			}
			k++
			continue
		}
		r.b.WriteString("  ")
	}
	r.b.WriteByte(' ')
	for _, m := range ms {
		if m.r == '\t' {
			r.spaces(int(m.width))
		} else {
			r.b.WriteRune(m.r)
		}
	}
	r.b.WriteByte('\n')

	if len(singles) > 0 {
		r.singleLabels(line, ms, singles, multis)
	}

	// Tops and bottoms of multi-line labels.
	for mi, ml := range multis {
		if ml.kind == multiLeft || ml.kind == multiTop && ml.pos <= lead {
			continue
		}
		r.outerGutter()
		r.b.WriteString("│")
		underline := false
		k := 0
		for col := 0; col < r.numMulti; col++ {
			if k < len(multis) && multis[k].index == col {
				o := multis[k]
				switch {
				case o.kind == multiLeft,
					o.kind == multiTop && mi > k,
					o.kind == multiBottom && mi < k:
					if underline {
						r.b.WriteString("─│")
					} else {
						r.b.WriteString(" │")
					}
				case o.kind == multiTop && mi == k:
					underline = true
					r.b.WriteString(" ╭")
				case o.kind == multiBottom && mi == k:
					underline = true
					r.b.WriteString(" ╰")
				default:
					r.gutterColumn(underline)
				}
				k++
				continue
			}
			r.gutterColumn(underline)
		}
		if ml.kind == multiTop {
			for _, m := range ms {
				if m.off >= ml.pos+1 {
					break
				}
				for i := 0; i < int(m.width); i++ {
					r.b.WriteString("─")
				}
			}
			r.b.WriteString("^\n")
		} else {
			for _, m := range ms {
				if m.off >= ml.pos {
					break
				}
				for i := 0; i < int(m.width); i++ {
					r.b.WriteString("─")
				}
			}
			r.b.WriteByte('^')
			if ml.msg != "" {
				r.b.WriteByte(' ')
				r.b.WriteString(ml.msg)
			}
			r.b.WriteByte('\n')
		}
	}
}

func (r *renderer) gutterColumn(underline bool) {
	if underline {
		r.b.WriteString("──")
	} else {
		r.b.WriteString("  ")
	}
}

// singleLabels writes the carets of the single-line labels of a line and their messages.
func (r *renderer) singleLabels(line string, ms []charMetric, singles []singleLabel, multis []multiLabel) {
	numMessages := 0
	maxStart, maxEnd := 0, 0
	trailing := -1
	for i, l := range singles {
		if l.msg != "" {
			numMessages++
		}
		maxStart = max(maxStart, l.start)
		maxEnd = max(maxEnd, l.end)
		if l.end == maxEnd {
			if l.msg == "" {
				trailing = -1
			} else {
				trailing = i
			}
		}
	}
	if trailing >= 0 {
		t := singles[trailing]
		for i, l := range singles {
			if i != trailing && overlaps(t.start, t.end, l.start, l.end) {
				trailing = -1
				break
			}
		}
	}

	// Carets.
	r.outerGutter()
	r.b.WriteString("│")
	r.innerGutter(multis)
	r.b.WriteByte(' ')
	// labelled[k]: character k (k == len(ms): the end-of-line placeholder, one byte at
	// len(line)) overlaps a label. Computed with a difference array over characters.
	labelled := make([]bool, len(ms)+1)
	diff := make([]int, len(ms)+2)
	for _, l := range singles {
		first := sortSearch(len(ms), func(j int) bool { return ms[j].off+int(ms[j].size) > l.start })
		end := sortSearch(len(ms), func(j int) bool { return ms[j].off >= l.end })
		if first < end {
			diff[first]++
			diff[end]--
		}
		if l.start <= len(line) && len(line) < l.end {
			diff[len(ms)]++
			diff[len(ms)+1]--
		}
	}
	for k, depth := 0, 0; k <= len(ms); k++ {
		depth += diff[k]
		labelled[k] = depth > 0
	}
	caretCol := func(k, off, width int) {
		switch {
		case labelled[k]:
			for i := 0; i < width; i++ {
				r.b.WriteByte('^')
			}
		case off < maxEnd:
			r.spaces(width)
		}
	}
	for k, m := range ms {
		caretCol(k, m.off, int(m.width))
	}
	caretCol(len(ms), len(line), 1)
	if trailing >= 0 {
		r.b.WriteByte(' ')
		r.b.WriteString(singles[trailing].msg)
	}
	r.b.WriteByte('\n')

	hanging := func(i int) bool { return singles[i].msg != "" && i != trailing }
	// pointerAt[k]: a hanging label starts inside character k.
	pointerAt := make([]bool, len(ms))
	for i, l := range singles {
		if !hanging(i) {
			continue
		}
		// the character containing byte l.start
		k := sortSearch(len(ms), func(j int) bool { return ms[j].off+int(ms[j].size) > l.start })
		if k < len(ms) && ms[k].off <= l.start {
			pointerAt[k] = true
		}
	}
	pointers := func(limit int) {
		for k, m := range ms {
			if m.off >= limit {
				break
			}
			n := int(m.width)
			if pointerAt[k] {
				r.b.WriteString("│")
				n--
			}
			if m.off <= maxStart {
				r.spaces(n)
			}
		}
	}
	hasTrailing := 0
	if trailing >= 0 {
		hasTrailing = 1
	}
	if numMessages > hasTrailing {
		r.outerGutter()
		r.b.WriteString("│")
		r.innerGutter(multis)
		r.b.WriteByte(' ')
		pointers(len(line))
		r.b.WriteByte('\n')
		for i := len(singles) - 1; i >= 0; i-- {
			if !hanging(i) {
				continue
			}
			r.outerGutter()
			r.b.WriteString("│")
			r.innerGutter(multis)
			r.b.WriteByte(' ')
			pointers(singles[i].start)
			r.b.WriteString(singles[i].msg)
			r.b.WriteByte('\n')
		}
	}
}
