package markdown

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The shape limits applied to a source before it is parsed. goldmark's cost
// grows with the square of the nesting of container blocks on one line
// (160,000 ">" once took 30 s) and of the length of a paragraph full of
// unmatched delimiters or link openers ("[a](" repeated). Bounding both
// makes rendering linear in the size of the input; people's writing never
// comes near them.
const (
	// MaxNesting is the number of container markers (">", "-", "*", "+",
	// "1." or "1)") one line may open; the next marker is escaped and the
	// rest of the line is text.
	MaxNesting = 16
	// MaxIndent is the widest leading white space kept, in columns; a line
	// indented more is brought back to it.
	MaxIndent = 96
	// MaxBlock is the longest text, in bytes, that is parsed inline as one
	// block: a longer paragraph is cut by a blank line at a line end, and a
	// longer line at a space (or anywhere when it has none). A list item, a
	// heading and a table row start a block of their own, so long lists and
	// tables are not cut; fenced code is never cut (no inline parsing).
	MaxBlock = 2 << 10
)

// Shape returns src with the limits above applied, and whether it changed.
// Render calls it; content checks can call it to warn the author.
func Shape(src string) (string, bool) {
	var b strings.Builder
	b.Grow(len(src) + 16)
	changed := false
	run := 0          // bytes of the inline block being written
	fence := ""       // the fence of the open code block, if any
	table := false    // the lines are rows of a table
	prevText := false // the previous line had text
	for len(src) > 0 {
		line, rest, hasNL := strings.Cut(src, "\n")
		src = rest
		if fence != "" {
			if closesFence(line, fence) {
				fence = ""
			}
			writeLine(&b, line, hasNL)
			continue
		}
		if f := opensFence(line); f != "" {
			fence = f
			run = 0
			writeLine(&b, line, hasNL)
			continue
		}
		if strings.TrimSpace(line) == "" {
			run, table, prevText = 0, false, false
			writeLine(&b, line, hasNL)
			continue
		}
		shaped, newBlock, c := shapeLine(line)
		changed = changed || c
		table = (table && strings.Contains(line, "|")) || (prevText && strings.Contains(line, "|") && delimiterRow.MatchString(line))
		prevText = true
		if newBlock || table {
			run = 0
		}
		for len(shaped) > MaxBlock {
			cut := cutAt(shaped, MaxBlock)
			b.WriteString(shaped[:cut])
			b.WriteString("\n\n")
			shaped, _, _ = shapeLine(strings.TrimLeft(shaped[cut:], " ")) // a new block: its markers count anew
			changed = true
			run = 0
		}
		if run > 0 && run+len(shaped) > MaxBlock {
			b.WriteString("\n")
			changed = true
			run = 0
		}
		run += len(shaped) + 1
		writeLine(&b, shaped, hasNL)
	}
	return b.String(), changed
}

func writeLine(b *strings.Builder, line string, nl bool) {
	b.WriteString(line)
	if nl {
		b.WriteByte('\n')
	}
}

// delimiterRow matches the line under a table's header ("|---|:--:|").
var delimiterRow = regexp.MustCompile(`^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

// shapeLine bounds the indentation of line and the container markers it
// opens; newBlock says whether its text starts a block of its own (a list
// item or a heading).
func shapeLine(line string) (shaped string, newBlock, changed bool) {
	if w := indentWidth(line); w > MaxIndent {
		line = strings.Repeat(" ", MaxIndent) + strings.TrimLeft(line, " \t")
		changed = true
	}
	i, markers := 0, 0
	for {
		j := i // white space before a marker: any amount (already bounded) before the first
		for j < len(line) && (i == 0 || j-i < 4) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		n := markerLen(line[j:])
		if n == 0 {
			return line, newBlock || strings.HasPrefix(line[j:], "#"), changed
		}
		if line[j] != '>' {
			newBlock = true
		}
		markers++
		if markers > MaxNesting {
			esc := j
			if c := line[j]; c >= '0' && c <= '9' {
				esc = j + n - 1 // "12." becomes "12\." : a number, not a list
			}
			return line[:esc] + `\` + line[esc:], newBlock, true
		}
		i = j + n
	}
}

// markerLen is the length of the container marker that s starts with, 0 if none.
func markerLen(s string) int {
	if s == "" {
		return 0
	}
	switch s[0] {
	case '>':
		return 1
	case '-', '*', '+':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			return 1
		}
		return 0
	}
	d := 0
	for d < len(s) && d < 9 && s[d] >= '0' && s[d] <= '9' {
		d++
	}
	if d == 0 || d >= len(s) || (s[d] != '.' && s[d] != ')') {
		return 0
	}
	if d+1 == len(s) || s[d+1] == ' ' || s[d+1] == '\t' {
		return d + 1
	}
	return 0
}

// indentWidth is the width of the leading white space of line, tabs to 4.
func indentWidth(line string) int {
	w := 0
	for _, c := range []byte(line) {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return w
}

// opensFence returns the fence ("```" or "~~~", as long as written) that
// line opens at the top level, or "".
func opensFence(line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && strings.Contains(t[n:], "`")) {
		return ""
	}
	return t[:n]
}

// closesFence reports whether line closes a code block opened by fence.
func closesFence(line, fence string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || !strings.HasPrefix(t, fence) {
		return false
	}
	return strings.TrimSpace(strings.TrimLeft(t, fence[:1])) == ""
}

// cutAt finds where to cut s, at most max bytes in: after the last space
// before max when there is one in the second half, else at a rune boundary.
func cutAt(s string, max int) int {
	if i := strings.LastIndexByte(s[:max], ' '); i > max/2 {
		return i
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return max
}
