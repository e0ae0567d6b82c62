package courses

import (
	"fmt"
	"time"

	"ardoise/internal/errkind"
)

// EnrolmentsCollection holds one document per person and module: the
// progress, the active time and the completion with its pending
// follow-ups, so that every learning event is one single-document update.
const EnrolmentsCollection = "enrolments"

// Completion states, shared by enrolments and ledger lines.
const (
	StateCredited  = "credited"  // the rule was met in full
	StateToReview  = "to-review" // met in part (e.g. time short): an inspector decides
	StateValidated = "validated"
	StateRejected  = "rejected"
	StateExported  = "exported"
)

// Enrolment is a person following a module, pinned to a version.
type Enrolment struct {
	ID         string    `bson:"_id" json:"id"` // userID:slug
	UserID     string    `bson:"userId" json:"-"`
	Slug       string    `bson:"slug" json:"slug"`
	Title      string    `bson:"title" json:"title"`
	Version    int       `bson:"version" json:"version"`
	EnrolledAt time.Time `bson:"enrolledAt" json:"enrolledAt"`
	// Pages and Quizzes are lists, not maps: ids must not become keys.
	Pages         []PageProgress `bson:"pages" json:"pages"`
	Quizzes       []QuizResult   `bson:"quizzes" json:"quizzes"`
	ActiveSeconds int            `bson:"activeSeconds" json:"activeSeconds"`
	// Clock is the server time of the last event that counted time, and
	// ClockPage the page it was on: active time is only ever measured
	// between two server instants.
	Clock      time.Time         `bson:"clock" json:"-"`
	ClockPage  string            `bson:"clockPage" json:"-"`
	Seq        int               `bson:"seq" json:"-"`
	Completion *CompletionRecord `bson:"completion,omitempty" json:"completion,omitempty"`
	Moves      []VersionMove     `bson:"moves,omitempty" json:"moves,omitempty"`
	Pending    []string          `bson:"pending,omitempty" json:"-"`
	PendingAt  time.Time         `bson:"pendingAt,omitempty" json:"-"`
}

// PageProgress is what was observed on one page.
type PageProgress struct {
	ID            string    `bson:"id" json:"id"`
	Hash          string    `bson:"hash" json:"-"`
	SeenAt        time.Time `bson:"seenAt" json:"seenAt"`
	ActiveSeconds int       `bson:"activeSeconds" json:"activeSeconds"`
}

// QuizResult is the latest answer to one quiz.
type QuizResult struct {
	ID       string    `bson:"id" json:"id"`
	Choice   []string  `bson:"choice" json:"choice"`
	Correct  bool      `bson:"correct" json:"correct"`
	Attempts int       `bson:"attempts" json:"attempts"`
	At       time.Time `bson:"at" json:"at"`
}

// CompletionRecord is written once, by the event that satisfied the rule.
type CompletionRecord struct {
	At              time.Time `bson:"at" json:"at"`
	Version         int       `bson:"version" json:"version"`
	State           string    `bson:"state" json:"state"` // credited | to-review
	ActiveSeconds   int       `bson:"activeSeconds" json:"activeSeconds"`
	QuizScore       float64   `bson:"quizScore" json:"quizScore"`
	DeclaredMinutes int       `bson:"declaredMinutes" json:"declaredMinutes"`
	Reason          string    `bson:"reason,omitempty" json:"reason,omitempty"`
}

// VersionMove records a learner moving to a newer version.
type VersionMove struct {
	From int       `bson:"from" json:"from"`
	To   int       `bson:"to" json:"to"`
	At   time.Time `bson:"at" json:"at"`
}

// EnrolmentID is the id of a person's enrolment in a module.
func EnrolmentID(userID, slug string) string { return userID + ":" + slug }

// Page returns the progress on a page, or nil.
func (e *Enrolment) Page(id string) *PageProgress {
	for i := range e.Pages {
		if e.Pages[i].ID == id {
			return &e.Pages[i]
		}
	}
	return nil
}

// Quiz returns the result of a quiz, or nil.
func (e *Enrolment) Quiz(id string) *QuizResult {
	for i := range e.Quizzes {
		if e.Quizzes[i].ID == id {
			return &e.Quizzes[i]
		}
	}
	return nil
}

// Done reports whether the enrolment is complete.
func (e *Enrolment) Done() bool { return e.Completion != nil }

var errBusy = fmt.Errorf("courses: enrolment changed meanwhile, try again: %w", errkind.ErrConflict)
