package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hibiken/asynq"

	"ardoise/certificates"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// Task types.
const (
	// TypeCreditHours credits the hours of a completed enrolment: it writes
	// the ledger line (deterministic id, so a retry credits nothing more)
	// and asks for the attestation.
	TypeCreditHours = "courses:credit-hours"
	// TypeCreditSession credits the participants of a closed session.
	TypeCreditSession = "courses:credit-session"
)

type creditPayload struct {
	Enrolment string `json:"e,omitempty"`
	Session   string `json:"s,omitempty"`
}

// NewCreditHoursTask returns the task that credits a completed enrolment.
func NewCreditHoursTask(enrolmentID string) (*asynq.Task, error) {
	p, err := json.Marshal(creditPayload{Enrolment: enrolmentID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeCreditHours, p), nil
}

// NewCreditSessionTask returns the task that credits a closed session.
func NewCreditSessionTask(sessionID string) (*asynq.Task, error) {
	p, err := json.Marshal(creditPayload{Session: sessionID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeCreditSession, p), nil
}

// Markers are the courses' pending work, registered with the outbox: a
// completed enrolment waits for its hours (critical: the learner is waiting
// for the attestation), a closed session for its participants' hours, and a
// ledger line for its attestation to match its state and for its copy into
// the inspectors' hours pages.
var Markers = []queue.Marker{
	{Collection: EnrolmentsCollection, Name: markerCredit, Priority: queue.Critical,
		Task: func(id, _ string) (*asynq.Task, error) { return NewCreditHoursTask(id) }},
	{Collection: SessionsCollection, Name: markerCreditSession, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewCreditSessionTask(id) }},
	{Collection: LedgerCollection, Name: markerAttestation, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return certificates.NewIssueTask(id) }},
	{Collection: LedgerCollection, Name: markerLinePage, Priority: queue.Default,
		Task: func(id, _ string) (*asynq.Task, error) { return NewLinePageTask(id) }},
}

func (s *Service) enqueueCredit(ctx context.Context, enrolmentID string) {
	s.outbox.After(ctx, EnrolmentsCollection, enrolmentID, markerCredit)
}

func (s *Service) enqueueAttestation(ctx context.Context, lineID string) {
	s.outbox.After(ctx, LedgerCollection, lineID, markerAttestation)
}

// HandleCreditSession credits a closed session's participants.
func (s *Service) HandleCreditSession(ctx context.Context, t *asynq.Task) error {
	var p creditPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Session == "" {
		return fmt.Errorf("courses: session credit payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return s.creditSession(ctx, p.Session)
}

// HandleCreditHours credits a completed enrolment.
func (s *Service) HandleCreditHours(ctx context.Context, t *asynq.Task) error {
	var p creditPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Enrolment == "" {
		return fmt.Errorf("courses: credit payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	e, err := s.store.enrolment(ctx, p.Enrolment)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Contains(e.Pending, markerCredit) || e.Completion == nil {
		return nil
	}
	u, err := s.profile.User(ctx, e.UserID)
	if err != nil && !errkind.IsNotFound(err) {
		return err
	}
	// Hours are a teacher's: parents complete modules without a ledger line.
	if err == nil && !u.Deleted && u.Kind == profile.KindTeacher {
		m, err := s.Published(ctx, e.Slug, e.Completion.Version)
		if err != nil {
			return err
		}
		l := s.lineFor(e, m, u)
		if !u.EmailVerified && l.State == StateCredited {
			// Enrolled before enrolling needed a verified address: the hours
			// wait for an inspector, and the attestation with them.
			l.State, l.Events[0].State, l.Events[0].Reason = StateToReview, StateToReview, ReasonEmailUnverified
		}
		if err := s.credit(ctx, l); err != nil {
			return err
		}
	}
	return s.store.enrolmentCredited(ctx, e.ID)
}

// lineFor builds the ledger line of a completed enrolment.
func (s *Service) lineFor(e *Enrolment, m *Module, u *profile.User) *Line {
	c := e.Completion
	p := m.ProgressOf(e)
	l := &Line{
		ID: LineID(u.ID, e.Slug, SchoolYear(c.At)), LearnerID: u.ID, LearnerName: u.Name, Slug: e.Slug, Title: m.Title,
		Version: c.Version, SchoolYear: SchoolYear(c.At), Territory: u.Territory, CountsFor: CountsObligation,
		Nature: m.Nature, DeclaredMinutes: c.DeclaredMinutes, ActiveMinutes: c.ActiveSeconds / 60, NeededMinutes: p.NeededMinutes(),
		QuizScore: c.QuizScore, Quizzes: []QuizEvidence{}, EnrolmentID: e.ID, CompletedAt: c.At, State: c.State,
	}
	if l.Nature == "" {
		l.Nature = NatureDistance
	}
	for _, q := range e.Quizzes {
		l.Quizzes = append(l.Quizzes, QuizEvidence{ID: q.ID, Correct: q.Correct, Attempts: q.Attempts})
	}
	l.Events = []Event{{By: "system", ByName: "Ardoise", Action: "credit", State: c.State, Reason: c.Reason}}
	return l
}

// credit inserts a ledger line; a line already there (same learner, module
// and school year) is left as it is. A credited line asks for its
// attestation in the same insert, then the task is enqueued.
func (s *Service) credit(ctx context.Context, l *Line) error {
	now := s.now()
	l.CreatedAt = now
	l.Events[0].At = now
	if l.State == StateCredited {
		l.Pending, l.PendingAt = []string{markerAttestation}, now
	}
	if err := s.store.insertLine(ctx, l, now); err != nil {
		if database.IsDuplicate(err) {
			return nil
		}
		return database.Wrap(err, "courses: credit hours")
	}
	s.placeLine(ctx, l.ID)
	if l.State == StateCredited {
		s.enqueueAttestation(ctx, l.ID)
	}
	return nil
}

// Line returns a ledger line.
func (s *Service) Line(ctx context.Context, id string) (*Line, error) {
	return s.store.line(ctx, id)
}
