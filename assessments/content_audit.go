package assessments

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"ardoise/internal/errkind"
)

// MaxKeyLongestShare is the largest share of a framework's QCUs whose key
// may be the longest proposal: above it, "pick the longest" beats chance.
const MaxKeyLongestShare = 0.35

// Audit is what `ardoise content check` reports beyond the schema: the cues
// a candidate could use without knowing the answer, and the review record.
type Audit struct {
	Frameworks []FrameworkAudit
	// Failures make the check fail: a length cue above MaxKeyLongestShare,
	// a challenge never reviewed.
	Failures []Problem
	// Overdue are challenges whose review_by date has passed: reported, but
	// a date passing does not break the build.
	Overdue []Problem
}

// FrameworkAudit counts one framework's answer-key cues.
type FrameworkAudit struct {
	Framework string
	QCU       int
	// KeyPosition counts the QCUs by the key's position in file order
	// (index 0 is the first proposal).
	KeyPosition []int
	// KeyLongest counts the QCUs whose key is the longest proposal (ties
	// included); QCMKeyLongest the QCMs whose longest proposal is a key,
	// out of QCM, against QCMKeyExpected if lengths told nothing.
	KeyLongest     int
	QCM            int
	QCMKeyLongest  int
	QCMKeyExpected float64
	Unreviewed     int
	Pretest        int
}

// KeyLongestShare is the share of QCUs whose key is the longest proposal.
func (a FrameworkAudit) KeyLongestShare() float64 {
	if a.QCU == 0 {
		return 0
	}
	return float64(a.KeyLongest) / float64(a.QCU)
}

// String prints the audit as `content check` shows it.
func (a FrameworkAudit) String() string {
	return fmt.Sprintf("%s: %d QCU, key position in file order %v, key is the longest option in %d (%.0f %%, at most %.0f %%); %d QCM, longest option is a key in %d (%.1f expected by chance); %d not reviewed; %d pretest",
		a.Framework, a.QCU, a.KeyPosition, a.KeyLongest, 100*a.KeyLongestShare(), 100*MaxKeyLongestShare,
		a.QCM, a.QCMKeyLongest, a.QCMKeyExpected, a.Unreviewed, a.Pretest)
}

// AuditBank checks every framework of a bank against the content rules that
// are about quality rather than form; today is YYYY-MM-DD.
func AuditBank(b *Bank, today string) Audit {
	var out Audit
	for _, f := range b.Frameworks {
		fa := FrameworkAudit{Framework: f.ID}
		for _, c := range f.Challenges {
			if c.Review.Reviewed == "" {
				fa.Unreviewed++
				out.Failures = append(out.Failures, Problem{File: c.File, Line: c.Line,
					Msg: fmt.Sprintf("challenge %s has no reviewed date: read it against the checklist of README.md", c.ID)})
			}
			if c.Review.ReviewBy != "" && c.Review.ReviewBy < today {
				out.Overdue = append(out.Overdue, Problem{File: c.File, Line: c.Line,
					Msg: fmt.Sprintf("challenge %s: review_by %s has passed (source: %s)", c.ID, c.Review.ReviewBy, c.Review.Source)})
			}
			if c.Pretest() {
				fa.Pretest++
			}
			longest := longestProposals(c.Proposals)
			switch c.Type {
			case TypeQCU:
				fa.QCU++
				for i, p := range c.Proposals {
					if p.ID == c.choice {
						for len(fa.KeyPosition) <= i {
							fa.KeyPosition = append(fa.KeyPosition, 0)
						}
						fa.KeyPosition[i]++
					}
				}
				if longest[c.choice] {
					fa.KeyLongest++
				}
			case TypeQCM:
				fa.QCM++
				fa.QCMKeyExpected += float64(len(c.choices)) / float64(len(c.Proposals))
				for _, id := range c.choices {
					if longest[id] {
						fa.QCMKeyLongest++
						break
					}
				}
			}
		}
		if fa.KeyLongestShare() > MaxKeyLongestShare {
			out.Failures = append(out.Failures, Problem{File: f.ID + "/framework.yaml", Line: 1,
				Msg: fmt.Sprintf("%s: the key is the longest option in %.0f %% of QCUs (at most %.0f %%): shorten keys or lengthen distractors",
					f.ID, 100*fa.KeyLongestShare(), 100*MaxKeyLongestShare)})
		}
		out.Frameworks = append(out.Frameworks, fa)
	}
	out.Failures = errkind.Problems(out.Failures).Sorted()
	out.Overdue = errkind.Problems(out.Overdue).Sorted()
	return out
}

// longestProposals returns the ids of the proposals of greatest visible
// length (several when tied).
func longestProposals(ps []Proposal) map[string]bool {
	best, out := -1, map[string]bool{}
	for _, p := range ps {
		n := visibleLen(p.text)
		switch {
		case n > best:
			best, out = n, map[string]bool{p.ID: true}
		case n == best:
			out[p.ID] = true
		}
	}
	return out
}

var markupRe = regexp.MustCompile("[*_`]|<[^>]*>")

// visibleLen is the length a reader sees: Markdown emphasis and code marks
// do not count.
func visibleLen(md string) int {
	return utf8.RuneCountInString(strings.TrimSpace(html.UnescapeString(markupRe.ReplaceAllString(md, ""))))
}
