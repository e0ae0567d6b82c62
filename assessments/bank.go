// Package assessments runs the positioning tests: the referentials and the
// item bank loaded from content files, answer checking for every format,
// test sessions driven by the adaptive engine (assessments/irt), results,
// and the worker tasks that follow a test.
package assessments

import (
	"slices"

	"ardoise/internal/errkind"
)

// Challenge types.
const (
	TypeQCU   = "qcu"   // one choice
	TypeQCM   = "qcm"   // several choices
	TypeQROC  = "qroc"  // one short free answer
	TypeQROCM = "qrocm" // several labelled free answers
)

// Bank is one version of the content: every framework and challenge,
// rendered and checked. It is immutable once loaded, and shared.
type Bank struct {
	// Version is the SHA-256 of the content files: a test records it and
	// keeps being served from it.
	Version    string
	Frameworks []*Framework
	challenges map[string]*Challenge
}

// Framework is a referential: CRCN, or the teachers' professional framework.
type Framework struct {
	ID              string
	Title           string
	DescriptionHTML string
	Locale          string
	// Launched is the date the framework's bank went live (YYYY-MM-DD):
	// challenges Added after it are pretest items until calibrated.
	Launched    string
	Areas       []Area
	Competences []*Competence
	Challenges  []*Challenge
}

// Area is a domain of a framework.
type Area struct {
	ID, Title   string
	Competences []string
}

// Competence is one competence and its tubes.
type Competence struct {
	ID, Title, Description string
	Framework, Area        string
	Tubes                  []Tube
}

// Tube is a subject within a competence; its skills are what a person can
// do at each level.
type Tube struct {
	ID, Title string
	Skills    map[int]string
}

// Proposal is one choice of a QCU or QCM.
type Proposal struct {
	ID   string `json:"id"`
	HTML string `json:"html"`

	text string // the Markdown source, for the content audit
	last bool   // stays after the shuffled proposals (« Aucune de ces réponses »)
}

// Field is one input of a QROCM.
type Field struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Tolerance says how lenient the comparison of free answers is.
type Tolerance struct {
	// Distance is the share of the expected answer's length allowed as
	// Levenshtein distance (0.25: one typo in four letters).
	Distance float64
	// Case, Accents and Spaces make those differences count.
	Case, Accents, Spaces bool
}

// Tutorial is a link shown after the test.
type Tutorial struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Challenge is one question. Its solution never leaves the server: the
// fields holding it are unexported.
type Challenge struct {
	ID, Framework, Competence, Tube string
	Level                           int
	Type                            string
	PromptHTML                      string
	Proposals                       []Proposal
	Fields                          []Field
	Placeholder                     string
	Tolerance                       Tolerance
	Timer                           int // seconds, 0 for none
	Accessible                      bool
	Locale                          string
	ExplanationHTML                 string
	Tutorial                        Tutorial
	// A and B are the 2PL parameters from the content file (derived from
	// the level until calibrated); calibration overrides them in the store.
	A, B float64
	// File and Line say where the challenge is written.
	File string
	Line int
	// FixedOrder keeps the proposals in file order (an ordered scale);
	// otherwise each test shows them in its own order (ServedProposals).
	FixedOrder bool
	// Review is the challenge's review record.
	Review Review
	// Certification marks a challenge of the certification-only pool:
	// positioning never serves it, and its explanation and tutorial are
	// never shown (docs/certification.md).
	Certification bool
	// Added is the date a challenge entered the bank after the framework's
	// launch ("" for the launch bank): it is served as an unscored pretest
	// item until calibration gives it parameters.
	Added string

	choice  string              // QCU
	choices []string            // QCM, sorted
	answers []string            // QROC accepted answers
	fieldAn map[string][]string // QROCM accepted answers by field
}

// Review is when a challenge was last read against the checklist of
// assessments/content/README.md, and when its time-sensitive facts must be
// read again, with where they come from.
type Review struct {
	Reviewed string // YYYY-MM-DD
	ReviewBy string // YYYY-MM-DD, "" when nothing in it dates
	Source   string // the text or page a time-sensitive fact comes from
}

// Pretest says whether the challenge came after the launch bank: live
// tests serve it unscored until calibration gives it parameters.
func (c *Challenge) Pretest() bool { return c.Added != "" }

// Skill is the challenge's skill id: tube@level.
func (c *Challenge) Skill() string { return c.Tube + "@" + itoa(c.Level) }

// Challenge returns a challenge by id.
func (b *Bank) Challenge(id string) (*Challenge, bool) {
	c, ok := b.challenges[id]
	return c, ok
}

// Framework returns a framework by id.
func (b *Bank) Framework(id string) (*Framework, bool) {
	for _, f := range b.Frameworks {
		if f.ID == id {
			return f, true
		}
	}
	return nil, false
}

// Competence returns a competence of the framework by id.
func (f *Framework) Competence(id string) (*Competence, bool) {
	i := slices.IndexFunc(f.Competences, func(c *Competence) bool { return c.ID == id })
	if i < 0 {
		return nil, false
	}
	return f.Competences[i], true
}

// CountIn returns the number of positioning challenges of a competence
// (the certification pool is not told).
func (f *Framework) CountIn(competence string) int {
	n := 0
	for _, c := range f.Challenges {
		if c.Competence == competence && !c.Certification {
			n++
		}
	}
	return n
}

func itoa(n int) string {
	if n >= 0 && n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// Resolve checks a scope against the bank and returns its framework.
func (b *Bank) Resolve(scope Scope) (*Framework, error) {
	f, ok := b.Framework(scope.Framework)
	if !ok {
		return nil, errkind.Invalid("framework", "unknown_framework")
	}
	if scope.Competence != "" {
		if _, ok := f.Competence(scope.Competence); !ok {
			return nil, errkind.Invalid("competence", "unknown_competence")
		}
	}
	if len(scope.Competences) > 0 && scope.Competence != "" {
		return nil, errkind.Invalid("competence", "unknown_competence")
	}
	for i, c := range scope.Competences {
		if _, ok := f.Competence(c); !ok || (i > 0 && scope.Competences[i-1] >= c) {
			return nil, errkind.Invalid("targets", "unknown_competence")
		}
	}
	return f, nil
}

// HasCompetence reports whether any framework has a competence with this id.
func (b *Bank) HasCompetence(id string) bool {
	for _, f := range b.Frameworks {
		if _, ok := f.Competence(id); ok {
			return true
		}
	}
	return false
}
