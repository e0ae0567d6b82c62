package assessments

import (
	"time"

	"gopkg.in/yaml.v3"
)

// dateLayout is how content files write dates.
const dateLayout = "2006-01-02"

// date reads an optional YYYY-MM-DD field.
func (l *loader) date(file string, parent *yaml.Node, f map[string]*yaml.Node, key string) string {
	v := l.str(file, parent, f, key, false)
	if v == "" {
		return ""
	}
	if _, err := time.Parse(dateLayout, v); err != nil {
		l.problem(file, f[key].Line, "%s %q: write the date as YYYY-MM-DD", key, v)
		return ""
	}
	return v
}

// review reads the review record, the pretest date and the fields kept for
// challenges on real files and simulated screens.
func (l *loader) review(c *Challenge, file string, n *yaml.Node, f map[string]*yaml.Node) {
	c.Review = Review{Reviewed: l.date(file, n, f, "reviewed"), ReviewBy: l.date(file, n, f, "review_by"),
		Source: l.str(file, n, f, "source", false)}
	if c.Review.ReviewBy != "" && c.Review.Source == "" {
		l.problem(file, f["review_by"].Line, "review_by needs a source: the text or page the time-sensitive fact comes from")
	}
	if c.Review.ReviewBy != "" && c.Review.Reviewed != "" && c.Review.ReviewBy <= c.Review.Reviewed {
		l.problem(file, f["review_by"].Line, "review_by %s is not after reviewed %s", c.Review.ReviewBy, c.Review.Reviewed)
	}
	c.Added = l.date(file, n, f, "added")
	if v, ok := f["fixed_order"]; ok {
		if v.Decode(&c.FixedOrder) != nil {
			l.problem(file, v.Line, "fixed_order: want true or false")
		}
		if c.Type != TypeQCU && c.Type != TypeQCM {
			l.problem(file, v.Line, "fixed_order applies to qcu and qcm only")
		}
	}
	for _, key := range []string{"attachments", "environment"} {
		if v, ok := f[key]; ok {
			l.problem(file, v.Line, "%s: reserved for tasks on real files and simulated screens, which this version cannot serve yet", key)
		}
	}
}
