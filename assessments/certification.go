package assessments

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
)

// Certification tests are the tests of certification sessions
// (certification/ runs the sessions and decides who may act). They run on
// the same engine, on the certification-only pool, under the preset
// ardoise-certification-1 (docs/assessments.md), with four rules of their
// own: a deadline the server enforces, one device at a time, a question
// whose page was left counts wrong, and a question can be voided (replaced)
// when the invigilator validates an alert on it.

// Why a certification test ended before its last question.
const (
	EndTime        = "time"
	EndInvigilator = "invigilator"
)

// ErrOtherDevice is the error of an answer to a certification test from a
// device other than the one that started it or was last authorised.
var ErrOtherDevice = &errkind.DeniedError{Code: "certification_other_device"}

// CertificationStart is what a certification test starts with.
type CertificationStart struct {
	UserID    string
	Framework string
	// Accessible is the candidate's adjustment: accessible questions only,
	// and leaving the page does not make an answer wrong.
	Accessible bool
	Deadline   time.Time
	// Device is the SHA-256 (hex) of the token of the device that starts.
	Device string
	// Session and Candidate say whose test it is in certification/.
	Session, Candidate string
}

// StartCertification starts a certification test. Unlike Start, it keeps
// no head and applies no cool-down: certification/ allows one test per
// candidate of a session.
func (s *Service) StartCertification(ctx context.Context, c CertificationStart) (*Test, error) {
	if c.UserID == "" || c.Device == "" {
		return nil, fmt.Errorf("assessments: certification start: %w", errkind.ErrUnauthenticated)
	}
	scope := Scope{Framework: c.Framework, Certification: true}
	bank := s.current
	f, err := bank.Resolve(scope)
	if err != nil {
		return nil, err
	}
	params := s.currentParams(ctx)
	be, err := s.engines.get(bank, params, scope)
	if err != nil {
		return nil, err
	}
	now := s.now()
	t := &Test{ID: newTestID(), UserID: c.UserID, Scope: scope, ContentVersion: bank.Version,
		ParamsVersion: params.Version, Config: recordConfig(be.config), Seed: s.seed(), Accessible: c.Accessible,
		State: StateStarted, Answers: []Recorded{}, CreatedAt: now, UpdatedAt: now,
		Deadline: c.Deadline.UTC().Truncate(time.Millisecond), Device: c.Device, Session: c.Session, Candidate: c.Candidate}
	run, err := be.engine.NewTest(s.testOptions(f, t))
	if err != nil {
		return nil, err
	}
	first, ok := run.Next()
	if !ok {
		return nil, fmt.Errorf("assessments: no certification question for %s: %w", c.Framework, errkind.ErrUnavailable)
	}
	t.Current = &Served{ChallengeID: be.engine.Item(first).ID, ServedAt: now}
	if err := s.store.insertCertification(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// CertificationTest returns a certification test, running or archived,
// for certification/, which checks who may see it.
func (s *Service) CertificationTest(ctx context.Context, id string) (*Test, error) {
	t, err := s.store.test(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.Scope.Certification {
		return nil, fmt.Errorf("assessments: certification test %s: %w", id, errkind.ErrNotFound)
	}
	return t, nil
}

// Authorize gives a running certification test to a new device (the
// invigilator authorised the candidate again after an interruption): the
// previous device can no longer answer. One update.
func (s *Service) Authorize(ctx context.Context, id, device string) error {
	if device == "" {
		return fmt.Errorf("assessments: authorize: %w", errkind.ErrUnauthenticated)
	}
	return s.store.setDevice(ctx, id, device)
}

// RecordFocusLossOn records that the page of a certification test left
// question challengeID: that answer will count wrong, unless the candidate
// has an adjustment or the question is voided. One update, no read; a
// report about a question no longer served changes nothing.
func (s *Service) RecordFocusLossOn(ctx context.Context, id string, o Owner, challengeID string) error {
	matched, err := s.store.markFocusLost(ctx, id, o, challengeID)
	if err != nil {
		return err
	}
	if !matched {
		return &StaleError{}
	}
	return nil
}

// VoidCurrent replaces the question a certification test serves, when it
// is still challengeID: the invigilator validated an alert on it. The
// question is recorded as voided (it counts for nothing and the replay
// withdraws it at the same point) and the engine chooses another.
func (s *Service) VoidCurrent(ctx context.Context, id, challengeID string) (*Test, error) {
	t, err := s.store.running(ctx, id)
	if err != nil {
		return nil, err
	}
	if !t.Scope.Certification {
		return nil, fmt.Errorf("assessments: void on test %s: %w", id, errkind.ErrNotFound)
	}
	if t.State != StateStarted || t.Current == nil || t.Current.ChallengeID != challengeID {
		return nil, &StaleError{Test: t}
	}
	bank, be, err := s.engineOf(ctx, t)
	if err != nil {
		return nil, err
	}
	run, err := s.replay(bank, be.engine, t)
	if err != nil {
		return nil, err
	}
	idx, _ := be.engine.Index(challengeID)
	if err := run.Skip(idx); err != nil {
		return nil, fmt.Errorf("assessments: void: %w", err)
	}
	now := s.now()
	rec := Recorded{ChallengeID: challengeID, Voided: true, At: now, Millis: now.Sub(t.Current.ServedAt).Milliseconds()}
	if next, more := run.Next(); more {
		t.Current = &Served{ChallengeID: be.engine.Item(next).ID, ServedAt: now}
	} else {
		t.Current = nil
		t.State, t.FinishedAt, t.Result = StateFinished, now, resultOf(run.Estimates())
		t.Pending, t.PendingAt = []string{markerResponses}, now
	}
	return s.commit(ctx, t, challengeID, rec, now)
}

// EndCertification ends a running certification test before its last
// question (the invigilator's "Terminer le test"): its result is measured
// on the answers given. Ending a finished test returns it unchanged.
func (s *Service) EndCertification(ctx context.Context, id, reason string) (*Test, error) {
	t, err := s.store.running(ctx, id)
	if errkind.IsNotFound(err) {
		return s.CertificationTest(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if !t.Scope.Certification {
		return nil, fmt.Errorf("assessments: end test %s: %w", id, errkind.ErrNotFound)
	}
	return s.endCertification(ctx, t, reason)
}

// endCertification finishes the running test t on its answers so far.
func (s *Service) endCertification(ctx context.Context, t *Test, reason string) (*Test, error) {
	if t.State != StateStarted {
		return t, nil
	}
	bank, be, err := s.engineOf(ctx, t)
	if err != nil {
		return nil, err
	}
	run, err := s.replay(bank, be.engine, t)
	if err != nil {
		return nil, err
	}
	now := s.now()
	served := ""
	if t.Current != nil {
		served = t.Current.ChallengeID
	}
	t.Current = nil
	t.State, t.FinishedAt, t.Result, t.EndReason = StateFinished, now, resultOf(run.Estimates()), reason
	t.Pending, t.PendingAt = []string{markerResponses}, now
	return s.commit(ctx, t, served, Recorded{}, now)
}

// engineOf returns the bank and engine a test runs on.
func (s *Service) engineOf(ctx context.Context, t *Test) (*Bank, *builtEngine, error) {
	bank, err := s.bank(ctx, t.ContentVersion)
	if err != nil {
		return nil, nil, err
	}
	params, err := s.paramsFor(ctx, t.ParamsVersion)
	if err != nil {
		return nil, nil, err
	}
	be, err := s.engines.get(bank, params, t.Scope)
	if err != nil {
		return nil, nil, err
	}
	return bank, be, nil
}

// Counted returns the number of questions of a test that count: its
// answers less the voided ones and pretests (the invigilator's "answered").
func (t *Test) Counted() int {
	n := 0
	for _, a := range t.Answers {
		if !a.Voided && !a.Pretest {
			n++
		}
	}
	return n
}
