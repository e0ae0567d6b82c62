package certification

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"ardoise/assessments"
	"ardoise/internal/errkind"
)

// CodeBadPassword refuses a session number and invigilator password that
// do not match (the same answer for an unknown number).
const CodeBadPassword = "certification_bad_password"

// Supervise opens the invigilator's supervision of session number with its
// password and returns a supervision token, valid until the end of the
// session's day. Five tries per session every 15 minutes.
func (s *Service) Supervise(ctx context.Context, number int, password string) (string, error) {
	ok, wait, err := s.limits.Allow(ctx, "cert-supervision:"+strconv.Itoa(number), supervisionTries, supervisionWindow)
	if err != nil {
		return "", fmt.Errorf("certification: %w: %w", errkind.ErrUnavailable, err)
	}
	if !ok {
		return "", &errkind.RateLimitedError{RetryAfter: wait}
	}
	x, err := s.store.sessionByNumber(ctx, number)
	if errkind.IsNotFound(err) {
		return "", &errkind.DeniedError{Code: CodeBadPassword}
	}
	if err != nil {
		return "", err
	}
	if subtle.ConstantTimeCompare([]byte(NormalizeCode(password)), []byte(x.InvigilatorPassword)) != 1 {
		return "", &errkind.DeniedError{Code: CodeBadPassword}
	}
	_, end, err := x.window()
	if err != nil {
		return "", err
	}
	if !s.now().Before(end) {
		return "", refused(CodeSessionOver)
	}
	exp := strconv.FormatInt(end.Unix(), 10)
	return x.ID + "." + exp + "." + s.keys.Sign("certification-supervision", x.ID, exp, x.InvigilatorPassword), nil
}

// errBadToken is the error of a supervision token that is not, or no
// longer, valid: the invigilator types the password again.
var errBadToken = fmt.Errorf("certification: supervision token: %w", errkind.ErrUnauthenticated)

// supervised returns the session a supervision token opens: one read.
func (s *Service) supervised(ctx context.Context, token string) (*Session, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errBadToken
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !s.now().Before(time.Unix(exp, 0)) {
		return nil, errBadToken
	}
	x, err := s.store.session(ctx, parts[0])
	if errkind.IsNotFound(err) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	if !s.keys.Verify(parts[2], "certification-supervision", x.ID, parts[1], x.InvigilatorPassword) {
		return nil, errBadToken
	}
	return x, nil
}

// SupervisionSession returns the session a supervision token opens.
func (s *Service) SupervisionSession(ctx context.Context, token string) (*Session, error) {
	return s.supervised(ctx, token)
}

// Open opens the session of a supervision token: check-in starts (from 30
// minutes before the start time). Opening an open session changes nothing.
func (s *Service) Open(ctx context.Context, token string) (*Session, error) {
	x, err := s.supervised(ctx, token)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.store.update(ctx, x.ID, func(x *Session) error {
		switch x.Status {
		case StatusOpen:
			return nil
		case StatusCreated:
		default:
			return refused(CodeSessionOver)
		}
		if err := x.withinHours(now); err != nil {
			return err
		}
		x.Status, x.OpenedAt = StatusOpen, now
		x.event(now, "open", "", "")
		return nil
	})
}

// BoardLine is a candidate as the invigilator's page shows them.
type BoardLine struct {
	ID        string `json:"id"`
	LastName  string `json:"lastName"`
	FirstName string `json:"firstName"`
	State     string `json:"state"`
	Answered  int    `json:"answered"`
	Total     int    `json:"total"`
	// Alerts are the candidate's alerts awaiting a decision.
	Alerts []Alert `json:"alerts"`
}

// Board is the invigilator's live view of a session.
type Board struct {
	Session    *Session    `json:"-"`
	Candidates []BoardLine `json:"candidates"`
}

// Board returns the live view of the session of a supervision token: one
// store read (the session, which holds its candidates and alerts) and one
// Redis read of the answers counted so far, whatever the number of
// candidates.
func (s *Service) Board(ctx context.Context, token string) (*Board, error) {
	x, err := s.supervised(ctx, token)
	if err != nil {
		return nil, err
	}
	counts, err := s.progress.read(ctx, x.ID)
	if err != nil {
		return nil, err
	}
	b := &Board{Session: x, Candidates: make([]BoardLine, 0, len(x.Candidates))}
	for _, c := range x.Candidates {
		line := BoardLine{ID: c.ID, LastName: c.LastName, FirstName: c.FirstName, State: c.State, Total: testLength, Alerts: []Alert{}}
		if p, ok := counts[c.ID]; ok {
			line.Answered = p.answered
			if p.finished && c.State == StateInProgress {
				line.State = StateFinished // the worker's hook records it in a moment
			}
		}
		for _, a := range x.Alerts {
			if a.CandidateID == c.ID && a.Decision == "" {
				line.Alerts = append(line.Alerts, a)
			}
		}
		b.Candidates = append(b.Candidates, line)
	}
	return b, nil
}

// testLength is the certification test's number of questions, shown as
// the total of the invigilator's "answered / total".
const testLength = 32

// Confirm confirms a checked-in candidate's presence (or, after an
// interruption, authorises them again): they may type the access code.
func (s *Service) Confirm(ctx context.Context, token, candidateID string) (*Session, error) {
	x, err := s.supervised(ctx, token)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.store.update(ctx, x.ID, func(x *Session) error {
		c := x.candidate(candidateID)
		if c == nil {
			return fmt.Errorf("certification: candidate %s: %w", candidateID, errkind.ErrNotFound)
		}
		if err := x.dayOpen(now); err != nil {
			return err
		}
		if c.State != StatePresent {
			return refused(CodeNotCheckedIn)
		}
		c.State = StateAuthorised
		x.event(now, "confirm", c.ID, "")
		return nil
	})
}

// CodeNotCheckedIn refuses to confirm a candidate who has not checked in.
const CodeNotCheckedIn = "certification_not_checked_in"

// End ends a candidate's test for a reason the invigilator gives: the
// result is measured on the answers given. A candidate who has not
// started cannot start any more.
func (s *Service) End(ctx context.Context, token, candidateID, reason string) (*Session, error) {
	x, err := s.supervised(ctx, token)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return nil, errkind.Invalid("reason", "required")
	}
	c := x.candidate(candidateID)
	if c == nil {
		return nil, fmt.Errorf("certification: candidate %s: %w", candidateID, errkind.ErrNotFound)
	}
	if c.TestID != "" {
		if _, err := s.assessments.EndCertification(ctx, c.TestID, assessments.EndInvigilator); err != nil {
			var stale *assessments.StaleError
			if !errors.As(err, &stale) {
				return nil, err
			}
		}
	}
	now := s.now()
	return s.store.update(ctx, x.ID, func(x *Session) error {
		c := x.candidate(candidateID)
		if c.State == StateFinished || c.State == StateEnded {
			return refused(CodeTestOver)
		}
		c.State, c.EndReason = StateEnded, reason
		x.event(now, "end", c.ID, reason)
		return nil
	})
}

// Decide records the invigilator's decision on an alert: "validate"
// replaces the question (it does not count), "dismiss" leaves it to be
// answered.
func (s *Service) Decide(ctx context.Context, token, alertID, decision string) (*Session, error) {
	x, err := s.supervised(ctx, token)
	if err != nil {
		return nil, err
	}
	if decision != "validate" && decision != "dismiss" {
		return nil, errkind.Invalid("decision", "bad_choice")
	}
	var alert *Alert
	for i := range x.Alerts {
		if x.Alerts[i].ID == alertID {
			alert = &x.Alerts[i]
		}
	}
	if alert == nil {
		return nil, fmt.Errorf("certification: alert %s: %w", alertID, errkind.ErrNotFound)
	}
	if alert.Decision != "" {
		return x, nil
	}
	c := x.candidate(alert.CandidateID)
	if decision == "validate" && c != nil && c.TestID != "" {
		if _, err := s.assessments.VoidCurrent(ctx, c.TestID, alert.ChallengeID); err != nil {
			var stale *assessments.StaleError
			if !errors.As(err, &stale) {
				return nil, err
			}
			// The question was answered meanwhile: the decision is kept,
			// the answer stands.
		}
	}
	now := s.now()
	return s.store.update(ctx, x.ID, func(x *Session) error {
		for i := range x.Alerts {
			if a := &x.Alerts[i]; a.ID == alertID && a.Decision == "" {
				a.Decision, a.DecidedAt = decision, now
				x.event(now, "alert-"+decision, a.CandidateID, a.ChallengeID)
			}
		}
		return nil
	})
}
