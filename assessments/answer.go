package assessments

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"ardoise/internal/errkind"
)

// MaxAnswerLen bounds a free answer, in characters.
const MaxAnswerLen = 300

// Answer is what a person submits for a challenge: one of Choice (QCU),
// Choices (QCM), Text (QROC) or Fields (QROCM), or Skipped.
type Answer struct {
	Choice  string            `bson:"choice,omitempty" json:"choice,omitempty"`
	Choices []string          `bson:"choices,omitempty" json:"choices,omitempty"`
	Text    string            `bson:"text,omitempty" json:"text,omitempty"`
	Fields  map[string]string `bson:"fields,omitempty" json:"fields,omitempty"`
	Skipped bool              `bson:"skipped,omitempty" json:"skipped,omitempty"`
}

// Check says whether the answer is right. A skipped answer is wrong; an
// answer of the wrong shape for the challenge (choices for a free answer,
// an unknown proposal, a missing field, a text too long) is an
// errkind.ErrInvalid error naming the field.
func (c *Challenge) Check(a Answer) (bool, error) {
	if a.Skipped {
		return false, nil
	}
	switch c.Type {
	case TypeQCU:
		if a.Choice == "" || len(a.Choices) > 0 || a.Text != "" || a.Fields != nil {
			return false, errkind.Invalid("answer", "answer_shape")
		}
		if !c.hasProposal(a.Choice) {
			return false, errkind.Invalid("answer", "unknown_proposal")
		}
		return a.Choice == c.choice, nil
	case TypeQCM:
		if len(a.Choices) == 0 || a.Choice != "" || a.Text != "" || a.Fields != nil {
			return false, errkind.Invalid("answer", "answer_shape")
		}
		got := slices.Clone(a.Choices)
		slices.Sort(got)
		got = slices.Compact(got)
		for _, id := range got {
			if !c.hasProposal(id) {
				return false, errkind.Invalid("answer", "unknown_proposal")
			}
		}
		return slices.Equal(got, c.choices), nil
	case TypeQROC:
		if a.Choice != "" || len(a.Choices) > 0 || a.Fields != nil {
			return false, errkind.Invalid("answer", "answer_shape")
		}
		if err := checkText(a.Text); err != nil {
			return false, err
		}
		return c.Tolerance.matches(a.Text, c.answers), nil
	case TypeQROCM:
		if a.Fields == nil || a.Choice != "" || len(a.Choices) > 0 || a.Text != "" || len(a.Fields) != len(c.Fields) {
			return false, errkind.Invalid("answer", "answer_shape")
		}
		right := true
		for _, f := range c.Fields {
			v, ok := a.Fields[f.ID]
			if !ok {
				return false, errkind.Invalid("answer", "answer_shape")
			}
			if err := checkText(v); err != nil {
				return false, err
			}
			right = right && c.Tolerance.matches(v, c.fieldAn[f.ID])
		}
		return right, nil
	}
	return false, fmt.Errorf("assessments: challenge %s has type %q", c.ID, c.Type)
}

func checkText(s string) error {
	if !utf8.ValidString(s) {
		return errkind.Invalid("answer", "bad_text")
	}
	if utf8.RuneCountInString(s) > MaxAnswerLen {
		return errkind.Invalid("answer", "too_long")
	}
	return nil
}

func (c *Challenge) hasProposal(id string) bool {
	return slices.ContainsFunc(c.Proposals, func(p Proposal) bool { return p.ID == id })
}

// matches compares a free answer with the accepted ones under the tolerance.
func (t Tolerance) matches(got string, accepted []string) bool {
	g := t.normalize(got)
	if g == "" {
		return false
	}
	for _, want := range accepted {
		w := t.normalize(want)
		allowed := int(t.Distance * float64(utf8.RuneCountInString(w)))
		if g == w || (allowed > 0 && levenshtein(g, w, allowed) <= allowed) {
			return true
		}
	}
	return false
}

var foldAccents = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// normalize applies what the tolerance ignores: case, accents, extra spaces
// and final punctuation.
func (t Tolerance) normalize(s string) string {
	s = norm.NFC.String(strings.TrimSpace(s))
	if !t.Case {
		s = strings.ToLower(s)
	}
	if !t.Accents {
		if out, _, err := transform.String(foldAccents, s); err == nil {
			s = out
		}
	}
	if !t.Spaces {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.TrimRight(s, " .!;:")
}

// levenshtein returns the edit distance between a and b, or limit+1 as soon
// as it is sure to exceed limit (answers are short; this keeps it cheap).
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
