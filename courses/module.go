// Package courses holds training modules: their Markdown source (a folder
// of files with YAML front matter, see content/README.md), its checking and
// rendering. Publication, enrolment, active time, completion and the
// training-hours ledger build on it.
package courses

// Audiences a module is written for.
const (
	AudienceTeachers = "teachers"
	AudienceParents  = "parents"
	AudienceAll      = "all"
)

// Module is a parsed module source.
type Module struct {
	Slug            string
	Title           string
	Summary         string
	Audience        string
	Nature          string // distance | hybrid | session
	Competences     []string
	DurationMinutes int
	Prerequisites   []string
	Objectives      []string
	Completion      Completion
	IntroHTML       string
	Pages           []Page
}

// Completion is the rule that completes an enrolment: every page seen, a
// share of the declared duration observed as active time, a quiz score.
type Completion struct {
	MinActiveShare float64 `yaml:"min_active_share"`
	MinQuizScore   float64 `yaml:"min_quiz_score"`
}

// Page is one page: its Markdown rendered in blocks, text and quizzes in order.
type Page struct {
	ID    string
	Title string
	// Hash identifies the page's source: a learner moving to a newer
	// version keeps the pages whose hash did not change.
	Hash   string
	Blocks []Block
}

// Block is either sanitized HTML or a quiz.
type Block struct {
	HTML string
	Quiz *Quiz
}

// Quiz is a question inside a page, with immediate feedback.
type Quiz struct {
	ID              string
	Page            string
	Type            string // qcu | qcm
	QuestionHTML    string
	Proposals       []QuizProposal
	Solution        []string
	ExplanationHTML string
}

// QuizProposal is one choice of a quiz and the feedback shown when it is chosen.
type QuizProposal struct {
	ID           string
	HTML         string
	FeedbackHTML string
}

// Page returns the page with that id.
func (m *Module) Page(id string) (*Page, int, bool) {
	for i := range m.Pages {
		if m.Pages[i].ID == id {
			return &m.Pages[i], i, true
		}
	}
	return nil, -1, false
}

// Quiz returns the quiz with that id.
func (m *Module) Quiz(id string) (*Quiz, bool) {
	for _, q := range m.Quizzes() {
		if q.ID == id {
			return q, true
		}
	}
	return nil, false
}

// Quizzes lists every quiz of the module, in page order.
func (m *Module) Quizzes() []*Quiz {
	var out []*Quiz
	for _, p := range m.Pages {
		for _, b := range p.Blocks {
			if b.Quiz != nil {
				out = append(out, b.Quiz)
			}
		}
	}
	return out
}
