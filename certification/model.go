package certification

import (
	"time"

	"ardoise/profile"
)

// Centre is a certification centre (an INSPÉ, a DRANE, a circonscription,
// a school) and the référents who run its sessions.
type Centre struct {
	ID        string            `bson:"_id" json:"id"`
	Name      string            `bson:"name" json:"name"`
	Territory profile.Territory `bson:"territory" json:"territory"`
	// Referents are the accounts (ids) who create and finalize sessions.
	Referents []string  `bson:"referents" json:"-"`
	CreatedBy string    `bson:"createdBy" json:"-"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
}

// Session statuses, in order.
const (
	StatusCreated   = "created"
	StatusOpen      = "open"
	StatusFinalized = "finalized"
	StatusInReview  = "in_review"
	StatusPublished = "published"
)

// KindCRCN is the CRCN certification, the only kind for now.
const KindCRCN = "crcn"

// Session is one certification session. Its candidates, their states and
// the open alerts live in this one document: the invigilator's refresh
// reads it by _id, whatever the number of candidates.
type Session struct {
	ID string `bson:"_id" json:"id"`
	// Number is what candidates and the invigilator type: six digits,
	// unique by an insert claim.
	Number   int    `bson:"number" json:"number"`
	CentreID string `bson:"centreId" json:"centre"`
	Kind     string `bson:"kind" json:"kind"`
	// Date (YYYY-MM-DD) and Time (HH:MM) are in Paris time.
	Date        string `bson:"date" json:"date"`
	Time        string `bson:"time" json:"time"`
	Place       string `bson:"place" json:"place"`
	Room        string `bson:"room" json:"room"`
	Invigilator string `bson:"invigilator" json:"invigilator"`
	// AccessCode is what candidates type to start; InvigilatorPassword
	// opens the supervision. Both are shown to the référent only.
	AccessCode          string      `bson:"accessCode" json:"-"`
	InvigilatorPassword string      `bson:"invigilatorPassword" json:"-"`
	Status              string      `bson:"status" json:"status"`
	Candidates          []Candidate `bson:"candidates" json:"-"`
	Alerts              []Alert     `bson:"alerts" json:"-"`
	// Events are the log lines a change adds (Session.event): Store.update
	// appends them to the session's log (certification_logs, Store.Log),
	// not to this document, which the invigilator reads every 5 s.
	Events    []Event   `bson:"-" json:"-"`
	CreatedBy string    `bson:"createdBy" json:"-"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	OpenedAt  time.Time `bson:"openedAt,omitempty" json:"openedAt,omitempty"`
	// Finalization is the référent's report after the session (finalize.go).
	Finalization *Finalization `bson:"finalization,omitempty" json:"-"`
	// Jury holds a line per started test: the automatic first pass's mark
	// and the jury's decision (jury.go).
	Jury        []JuryLine `bson:"jury,omitempty" json:"-"`
	PublishedAt time.Time  `bson:"publishedAt,omitempty" json:"publishedAt,omitempty"`
	// Pending and PendingAt are the outbox markers (internal/queue): on
	// publication, "certificates" asks the worker to issue them.
	Pending   []string  `bson:"pending,omitempty" json:"-"`
	PendingAt time.Time `bson:"pendingAt,omitempty" json:"-"`
	// Version counts the document's writes: every write is guarded by it.
	Version int `bson:"version" json:"-"`
}

// Candidate states, as the invigilator sees them.
const (
	StateAbsent     = "absent"      // not checked in
	StatePresent    = "present"     // checked in, waiting for the invigilator
	StateAuthorised = "authorised"  // confirmed: may type the access code
	StateInProgress = "in_progress" // answering
	StateFinished   = "finished"    // answered every question, or time is up
	StateEnded      = "ended"       // ended by the invigilator
)

// Candidate is a person on a session's list.
type Candidate struct {
	ID        string `bson:"id" json:"id"`
	LastName  string `bson:"lastName" json:"lastName"`
	FirstName string `bson:"firstName" json:"firstName"`
	BirthDate string `bson:"birthDate" json:"birthDate"` // YYYY-MM-DD
	Email     string `bson:"email" json:"-"`
	// ExtraTime is the extra time in % of the test's duration.
	ExtraTime int `bson:"extraTime" json:"extraTime"`
	// Adjustment is an accessibility adjustment: accessible questions,
	// and leaving the page does not make an answer wrong.
	Adjustment bool   `bson:"adjustment" json:"adjustment"`
	State      string `bson:"state" json:"state"`
	// UserID is the account that checked in; TestID its certification
	// test once started.
	UserID string `bson:"userId,omitempty" json:"-"`
	TestID string `bson:"testId,omitempty" json:"-"`
	// Resume says the candidate's device changed during the test: the
	// invigilator's confirmation gives the test to the new device.
	Resume bool `bson:"resume,omitempty" json:"-"`
	// EndReason is why the invigilator ended the test.
	EndReason string `bson:"endReason,omitempty" json:"-"`
}

// Alert is a problem a candidate signalled on a question.
type Alert struct {
	ID          string    `bson:"id" json:"id"`
	CandidateID string    `bson:"candidateId" json:"candidate"`
	ChallengeID string    `bson:"challengeId" json:"-"`
	Reason      string    `bson:"reason" json:"reason"` // image, attachment, display, other
	At          time.Time `bson:"at" json:"at"`
	// Decision is "", "validate" or "dismiss".
	Decision  string    `bson:"decision,omitempty" json:"decision,omitempty"`
	DecidedAt time.Time `bson:"decidedAt,omitempty" json:"decidedAt,omitempty"`
}

// Event is one line of a session's log.
type Event struct {
	At          time.Time `bson:"at" json:"at"`
	Kind        string    `bson:"kind" json:"kind"`
	CandidateID string    `bson:"candidateId,omitempty" json:"candidate,omitempty"`
	Detail      string    `bson:"detail,omitempty" json:"detail,omitempty"`
}

// candidate returns the candidate with this id, or nil.
func (s *Session) candidate(id string) *Candidate {
	for i := range s.Candidates {
		if s.Candidates[i].ID == id {
			return &s.Candidates[i]
		}
	}
	return nil
}

// joined reports whether a candidate has checked in: the list can no
// longer be replaced.
func (s *Session) joined() bool {
	for _, c := range s.Candidates {
		if c.UserID != "" {
			return true
		}
	}
	return false
}
