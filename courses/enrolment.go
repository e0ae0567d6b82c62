package courses

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
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

func (s *Store) enrolment(ctx context.Context, id string) (*Enrolment, error) {
	var e Enrolment
	if err := s.enrolments.FindOne(ctx, bson.M{"_id": id}).Decode(&e); err != nil {
		return nil, database.Wrap(err, "courses: enrolment")
	}
	return &e, nil
}

// saveProgress writes what a learning event changed, if nobody wrote the
// enrolment since it was read (seq); it reports whether it did.
func (s *Store) saveProgress(ctx context.Context, e *Enrolment) (bool, error) {
	set := bson.M{
		"version": e.Version, "title": e.Title, "pages": e.Pages, "quizzes": e.Quizzes, "activeSeconds": e.ActiveSeconds,
		"clock": e.Clock, "clockPage": e.ClockPage, "seq": e.Seq + 1,
	}
	if e.Completion != nil {
		set["completion"] = e.Completion
		set["pending"] = e.Pending
		set["pendingAt"] = e.PendingAt
	}
	if len(e.Moves) > 0 {
		set["moves"] = e.Moves
	}
	res, err := s.enrolments.UpdateOne(ctx, bson.M{"_id": e.ID, "seq": e.Seq}, bson.M{"$set": set})
	if err != nil {
		return false, database.Wrap(err, "courses: save progress")
	}
	if res.MatchedCount == 1 {
		e.Seq++
	}
	return res.MatchedCount == 1, nil
}

// EnrolmentsOf lists a person's enrolments, newest first.
func (s *Store) EnrolmentsOf(ctx context.Context, userID string) ([]Enrolment, error) {
	out, err := database.FindAll[Enrolment](ctx, "courses: enrolments", s.enrolments, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "enrolledAt", Value: -1}}).SetLimit(500))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// clearMarker removes a done marker from a document of c.
func clearMarker(ctx context.Context, c *mongo.Collection, id, marker string) error {
	if _, err := c.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$pull": bson.M{"pending": marker}}); err != nil {
		return fmt.Errorf("courses: clear %s of %s: %w", marker, id, err)
	}
	return nil
}

var errBusy = fmt.Errorf("courses: enrolment changed meanwhile, try again: %w", errkind.ErrConflict)
