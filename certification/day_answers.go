package certification

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// owner is who may answer a certification test: the account, on the
// device holding the token.
func owner(u *profile.User, device string) assessments.Owner {
	if u == nil {
		return assessments.Owner{}
	}
	if device == "" {
		return assessments.Owner{UserID: u.ID} // refused as another device
	}
	return assessments.Owner{UserID: u.ID, Device: DeviceHash(device)}
}

// Test returns a candidate's running or finished certification test, on
// the device that holds it. A finished test shows no result: the jury
// publishes it.
func (s *Service) Test(ctx context.Context, u *profile.User, testID, device string) (*assessments.Test, error) {
	if u == nil {
		return nil, errkind.ErrUnauthenticated
	}
	t, err := s.assessments.CertificationTest(ctx, testID)
	if err != nil {
		return nil, err
	}
	if t.UserID != u.ID {
		return nil, fmt.Errorf("certification: test %s: %w", testID, errkind.ErrNotFound)
	}
	if t.State == assessments.StateStarted && (device == "" || DeviceHash(device) != t.Device) {
		s.otherDevice(ctx, t)
		return nil, assessments.ErrOtherDevice
	}
	return t, nil
}

// Answer records a candidate's answer, as positioning does (two store
// commands), and updates the invigilator's count in Redis. An answer from
// another device is refused and recorded in the session's log.
func (s *Service) Answer(ctx context.Context, u *profile.User, testID, device, challengeID string, read assessments.AnswerReader) (*assessments.Test, error) {
	if u == nil {
		return nil, errkind.ErrUnauthenticated
	}
	t, err := s.assessments.AnswerWith(ctx, testID, owner(u, device), challengeID, read)
	if errors.Is(err, assessments.ErrOtherDevice) {
		if t, rerr := s.assessments.CertificationTest(ctx, testID); rerr == nil {
			s.otherDevice(ctx, t)
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if perr := s.progress.set(ctx, t.Session, t.Candidate, t.Counted(), t.State == assessments.StateFinished); perr != nil {
		s.logger.Warn("certification progress not counted; the next answer counts it", "test", t.ID, "err", perr)
	}
	return t, nil
}

// otherDevice records, in the session's log, a refused second device.
func (s *Service) otherDevice(ctx context.Context, t *assessments.Test) {
	now := s.now()
	if _, err := s.store.update(ctx, t.Session, func(x *Session) error {
		x.event(now, "other-device", t.Candidate, t.ID)
		return nil
	}); err != nil {
		s.logger.Warn("certification: refused device not logged", "test", t.ID, "err", err)
	}
}

// FocusLost records that the candidate's page left the question it shows.
func (s *Service) FocusLost(ctx context.Context, u *profile.User, testID, device, challengeID string) error {
	if u == nil {
		return errkind.ErrUnauthenticated
	}
	return s.assessments.RecordFocusLossOn(ctx, testID, owner(u, device), challengeID)
}

// Alert reasons a candidate can give.
var alertReasons = []string{"image", "attachment", "display", "other"}

// Alert signals a problem with the question a candidate's test serves; the
// invigilator validates or dismisses it. One open alert per question.
func (s *Service) Alert(ctx context.Context, u *profile.User, testID, device, reason string) (*Alert, error) {
	t, err := s.Test(ctx, u, testID, device)
	if err != nil {
		return nil, err
	}
	if t.State != assessments.StateStarted || t.Current == nil {
		return nil, refused(CodeTestOver)
	}
	reason = strings.TrimSpace(reason)
	if !slices.Contains(alertReasons, reason) {
		return nil, errkind.Invalid("reason", "bad_choice")
	}
	now := s.now()
	var out Alert
	_, err = s.store.update(ctx, t.Session, func(x *Session) error {
		for _, a := range x.Alerts {
			if a.CandidateID == t.Candidate && a.ChallengeID == t.Current.ChallengeID {
				out = a
				return nil
			}
		}
		out = Alert{ID: newID(), CandidateID: t.Candidate, ChallengeID: t.Current.ChallengeID, Reason: reason, At: now}
		x.Alerts = append(x.Alerts, out)
		x.event(now, "alert", t.Candidate, t.Current.ChallengeID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// AlertOn returns the candidate's alert on a question, or nil: the
// candidate's page shows whether it waits, was validated or dismissed.
func (s *Service) AlertOn(ctx context.Context, t *assessments.Test, challengeID string) (*Alert, error) {
	x, err := s.store.session(ctx, t.Session)
	if err != nil {
		return nil, err
	}
	for _, a := range x.Alerts {
		if a.CandidateID == t.Candidate && a.ChallengeID == challengeID {
			return &a, nil
		}
	}
	return nil, nil
}

// CountFinished is the assessments' certification finish hook: the
// candidate's state becomes finished (unless the invigilator ended the
// test). Idempotent.
func (s *Service) CountFinished(ctx context.Context, t *assessments.Test) error {
	if t.Session == "" {
		return nil
	}
	now := s.now()
	_, err := s.store.update(ctx, t.Session, func(x *Session) error {
		c := x.candidate(t.Candidate)
		if c == nil || c.State == StateFinished || c.State == StateEnded {
			return nil
		}
		c.State = StateFinished
		x.event(now, "finish", c.ID, t.EndReason)
		return nil
	})
	if err != nil {
		return err
	}
	return s.progress.set(ctx, t.Session, t.Candidate, t.Counted(), true)
}

// Candidate returns a candidate by handle, for the account that checked
// in: the waiting page asks it whether the invigilator confirmed.
func (s *Service) Candidate(ctx context.Context, u *profile.User, handle string) (*Candidate, error) {
	if u == nil {
		return nil, errkind.ErrUnauthenticated
	}
	sessionID, candidateID, ok := splitHandle(handle)
	if !ok {
		return nil, fmt.Errorf("certification: candidate %s: %w", handle, errkind.ErrNotFound)
	}
	x, err := s.store.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	c := x.candidate(candidateID)
	if c == nil || c.UserID != u.ID {
		return nil, fmt.Errorf("certification: candidate %s: %w", handle, errkind.ErrNotFound)
	}
	return c, nil
}
