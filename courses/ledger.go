package courses

import (
	"context"
	"fmt"
	"slices"
	"time"

	"ardoise/internal/clock"
	"ardoise/profile"
)

// LedgerCollection holds the training-hours ledger: one line per (learner,
// module, school year).
const LedgerCollection = "hours_ledger"

// What a line's hours count for.
const (
	// CountsObligation: the primary teachers' 18 hours of animations
	// pédagogiques and continuing training (self-paced modules count here).
	CountsObligation = "obligation"
	// CountsPaid: training outside teaching time, paid by the allocation de formation.
	CountsPaid = "paid"
)

// Natures of a module or of the way it was followed.
const (
	NatureDistance = "distance"
	NatureHybrid   = "hybrid"
	NatureSession  = "session"
)

// markerAttestation asks for the line's attestation to match its state:
// issued (or reinstated) when credited or validated, revoked when rejected.
const markerAttestation = "attestation"

// markerLinePage asks for the line's current state to be copied into the
// pages of the inspectors' lists (store_line_pages.go).
const markerLinePage = "line-page"

// Line is one ledger line. Its evidence is written once, at crediting; its
// state then changes only by appending an event to Events, in the same
// single-document update that sets State (the latest event's state).
type Line struct {
	ID          string            `bson:"_id" json:"id"`
	LearnerID   string            `bson:"learnerId" json:"learnerId"`
	LearnerName string            `bson:"learnerName" json:"learnerName"`
	Slug        string            `bson:"slug" json:"module"`
	Title       string            `bson:"title" json:"title"`
	Version     int               `bson:"version" json:"version"`
	SchoolYear  string            `bson:"schoolYear" json:"schoolYear"`
	Territory   profile.Territory `bson:"territory" json:"territory"`
	CountsFor   string            `bson:"countsFor" json:"countsFor"`
	Nature      string            `bson:"nature" json:"nature"`
	// DeclaredMinutes is what is credited; the rest is the evidence.
	DeclaredMinutes int            `bson:"declaredMinutes" json:"declaredMinutes"`
	ActiveMinutes   int            `bson:"activeMinutes" json:"activeMinutes"`
	NeededMinutes   int            `bson:"neededMinutes" json:"neededMinutes"`
	QuizScore       float64        `bson:"quizScore" json:"quizScore"`
	Quizzes         []QuizEvidence `bson:"quizzes" json:"quizzes"`
	EnrolmentID     string         `bson:"enrolmentId,omitempty" json:"-"`
	// Session lines: the session, its half-days, those attended, the amount.
	SessionID   string    `bson:"sessionId,omitempty" json:"sessionId,omitempty"`
	HalfDays    int       `bson:"halfDays,omitempty" json:"halfDays,omitempty"`
	Attended    int       `bson:"attended,omitempty" json:"attended,omitempty"`
	AmountCents int       `bson:"amountCents" json:"amountCents"`
	RateRef     string    `bson:"rateRef,omitempty" json:"rateRef,omitempty"`
	CompletedAt time.Time `bson:"completedAt" json:"completedAt"`
	State       string    `bson:"state" json:"state"`
	Events      []Event   `bson:"events" json:"events"`
	Pending     []string  `bson:"pending,omitempty" json:"-"`
	PendingAt   time.Time `bson:"pendingAt,omitempty" json:"-"`
	CreatedAt   time.Time `bson:"createdAt" json:"createdAt"`
	// Places are the line's places in the inspectors' lists (hours pages).
	Places []LinePlace `bson:"places,omitempty" json:"-"`
}

// QuizEvidence is one quiz's outcome at completion.
type QuizEvidence struct {
	ID       string `bson:"id" json:"id"`
	Correct  bool   `bson:"correct" json:"correct"`
	Attempts int    `bson:"attempts" json:"attempts"`
}

// Event is one entry of a line's history: who did what, when, why, and the
// state it left the line in.
type Event struct {
	At     time.Time `bson:"at" json:"at"`
	By     string    `bson:"by" json:"by"`
	ByName string    `bson:"byName" json:"byName"`
	Action string    `bson:"action" json:"action"`
	State  string    `bson:"state" json:"state"`
	Reason string    `bson:"reason,omitempty" json:"reason,omitempty"`
}

// Review actions and the states they leave from.
const (
	ActionValidate = "validate"
	ActionReject   = "reject"
	ActionExport   = "export"
)

// transitions lists, for each action, the states it applies to and the
// state it leaves. A rejected line may be validated again (reinstated); an
// exported line is final: it went to payment.
var transitions = map[string]struct {
	from []string
	to   string
}{
	ActionValidate: {[]string{StateCredited, StateToReview, StateRejected}, StateValidated},
	ActionReject:   {[]string{StateCredited, StateToReview, StateValidated}, StateRejected},
	ActionExport:   {[]string{StateValidated}, StateExported},
}

// lockLine locks a ledger line against other writers for the time of one
// update: on FerretDB two updates of one document at once may each
// overwrite the other (an update is a read then a write there), and a
// line's history must never lose an event. Every writer of an existing
// line takes it: reviews, exports, the attestation's marker.
func (s *Service) lockLine(ctx context.Context, id string) (func(), error) {
	return s.store.lockLine(ctx, id)
}

// Can reports whether action applies to the line's state.
func (l *Line) Can(action string) bool {
	t, ok := transitions[action]
	return ok && slices.Contains(t.from, l.State)
}

// LastReason is the reason given with the latest event.
func (l *Line) LastReason() string {
	if len(l.Events) == 0 {
		return ""
	}
	return l.Events[len(l.Events)-1].Reason
}

// Hours is the credited duration in hours.
func (l *Line) Hours() float64 { return float64(l.DeclaredMinutes) / 60 }

// LineID is the deterministic id of a ledger line: a retry, a second
// completion path or a move to a newer version finds the line there.
func LineID(learnerID, slug, schoolYear string) string {
	return learnerID + ":" + slug + ":" + schoolYear
}

// paris is the zone of school years, training half-days and hours exports.
var paris = clock.Paris()

// SchoolYear is the school year of an instant, 1 September to 31 August in
// Paris time, written "2026-2027".
func SchoolYear(t time.Time) string {
	t = t.In(paris)
	y := t.Year()
	if t.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d-%d", y, y+1)
}
