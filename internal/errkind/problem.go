package errkind

import (
	"fmt"
	"sort"
)

// Problem is one thing wrong in a source file people write (content,
// modules), where it is written, so they can go and fix it.
type Problem struct {
	File string
	Line int
	Msg  string
}

// String is "file:line: message".
func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

// Problems collects problems while a source is checked.
type Problems []Problem

// Add records a problem.
func (ps *Problems) Add(file string, line int, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Sorted returns the problems by file, then line.
func (ps Problems) Sorted() []Problem {
	out := []Problem(ps)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}
