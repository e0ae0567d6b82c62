package courses

import (
	"sort"
	"strings"
)

// DiffLine is one line of a text diff: Op is ' ' (kept), '-' (removed), '+'
// (added), '~' (a binary file changed) or '.' (unchanged lines skipped).
type DiffLine struct {
	Op   byte
	Text string
}

// FileDiff is the diff of one file between two versions.
type FileDiff struct {
	Path  string
	Lines []DiffLine // only changed lines and up to 2 lines of context
}

// maxDiffLines bounds the line-by-line comparison of one file (its cost is
// the product of both lengths); longer files are shown as replaced whole.
const maxDiffLines = 3000

// Diff compares the text files of two sources (binary files are compared by
// content and reported as changed), file by file, in path order.
func Diff(from, to Source) []FileDiff {
	paths := map[string]bool{}
	for p := range from.Files {
		paths[p] = true
	}
	for p := range to.Files {
		paths[p] = true
	}
	var names []string
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	var out []FileDiff
	for _, p := range names {
		a, b := string(from.Files[p]), string(to.Files[p])
		if a == b {
			continue
		}
		if !strings.HasSuffix(p, ".md") {
			out = append(out, FileDiff{Path: p, Lines: []DiffLine{{Op: '~', Text: "(fichier binaire modifié)"}}})
			continue
		}
		out = append(out, FileDiff{Path: p, Lines: lineDiff(splitLines(a), splitLines(b))})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// lineDiff is a longest-common-subsequence diff, trimmed to the changes
// and two lines of context around them.
func lineDiff(a, b []string) []DiffLine {
	if len(a) > maxDiffLines || len(b) > maxDiffLines {
		var out []DiffLine
		for _, l := range a {
			out = append(out, DiffLine{'-', l})
		}
		for _, l := range b {
			out = append(out, DiffLine{'+', l})
		}
		return out
	}
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var all []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			all = append(all, DiffLine{' ', a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			all = append(all, DiffLine{'-', a[i]})
			i++
		default:
			all = append(all, DiffLine{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		all = append(all, DiffLine{'-', a[i]})
	}
	for ; j < m; j++ {
		all = append(all, DiffLine{'+', b[j]})
	}
	// Keep changes and two lines of context.
	keep := make([]bool, len(all))
	for k, l := range all {
		if l.Op != ' ' {
			for c := max(0, k-2); c <= min(len(all)-1, k+2); c++ {
				keep[c] = true
			}
		}
	}
	var out []DiffLine
	for k, l := range all {
		if keep[k] {
			out = append(out, l)
		} else if k > 0 && keep[k-1] {
			out = append(out, DiffLine{'.', "…"})
		}
	}
	return out
}
