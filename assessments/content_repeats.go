package assessments

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Question is a question asked somewhere else than the test (a training
// module's quiz): its text, and where it is written.
type Question struct {
	Where string // "module/page.md quiz-id"
	Text  string // the question and its proposals, HTML or plain text
}

// RepeatThreshold is the share of the shorter text's words that, found in
// the other, make a challenge a repeat of a question: training on a quiz
// would then teach the test's answer.
const RepeatThreshold = 0.45

// Repeats returns every challenge that repeats one of qs, as a problem at
// the challenge's line.
func (b *Bank) Repeats(qs []Question) []Problem {
	quiz := make([]map[string]bool, len(qs))
	for i, q := range qs {
		quiz[i] = wordSet(q.Text)
	}
	var out []Problem
	for _, f := range b.Frameworks {
		for _, c := range f.Challenges {
			text := c.PromptHTML
			for _, p := range c.Proposals {
				text += " " + p.HTML
			}
			cw := wordSet(text)
			for i, qw := range quiz {
				if s := overlap(cw, qw); s >= RepeatThreshold {
					out = append(out, Problem{File: c.File, Line: c.Line,
						Msg: fmt.Sprintf("challenge %s repeats the quiz %s (%.0f %% of words shared): a module would teach the test's answer", c.ID, qs[i].Where, 100*s)})
				}
			}
		}
	}
	return out
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// wordSet is the set of a text's words of four letters or more, lowercased
// and without accents.
func wordSet(s string) map[string]bool {
	s = html.UnescapeString(tagRe.ReplaceAllString(s, " "))
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(norm.NFD.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	}) {
		w = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, w)
		if len([]rune(w)) >= 4 {
			out[w] = true
		}
	}
	return out
}

// overlap is the share of the smaller set's words found in the other.
func overlap(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}
