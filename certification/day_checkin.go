package certification

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
	"ardoise/profile"
)

// CheckInInput is what a candidate types to check in.
type CheckInInput struct {
	Session   int
	LastName  string
	FirstName string
	BirthDate string // YYYY-MM-DD or JJ/MM/AAAA
}

// Handle names a candidate across sessions (session id, a dash, the
// candidate's id): what check-in returns and start takes.
func Handle(sessionID, candidateID string) string { return sessionID + "-" + candidateID }

func splitHandle(h string) (sessionID, candidateID string, ok bool) {
	return strings.Cut(h, "-")
}

// CheckIn matches a signed-in person to a session's list: the session is
// open and within its hours, the names (ignoring case, accents and
// hyphens) and birth date match a candidate, and the account's address is
// the candidate's. The candidate then waits for the invigilator. Checking
// in again during the test asks the invigilator to authorise the new
// device. Ten tries per account an hour.
func (s *Service) CheckIn(ctx context.Context, u *profile.User, in CheckInInput) (string, *Candidate, error) {
	if u == nil {
		return "", nil, errkind.ErrUnauthenticated
	}
	ok, wait, err := s.limits.Allow(ctx, "cert-checkin:"+u.ID, checkInTries, time.Hour)
	if err != nil {
		return "", nil, fmt.Errorf("certification: %w: %w", errkind.ErrUnavailable, err)
	}
	if !ok {
		return "", nil, &errkind.RateLimitedError{RetryAfter: wait}
	}
	bd, okDate := csvBirthDate(strings.TrimSpace(in.BirthDate))
	birth := bd.Format("2006-01-02")
	v := &errkind.ValidationError{}
	if in.Session <= 0 {
		v.Add("session", "required")
	}
	if strings.TrimSpace(in.LastName) == "" {
		v.Add("lastName", "required")
	}
	if strings.TrimSpace(in.FirstName) == "" {
		v.Add("firstName", "required")
	}
	if !okDate {
		v.Add("birthDate", "bad_date")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	x, err := s.store.sessionByNumber(ctx, in.Session)
	if errkind.IsNotFound(err) {
		return "", nil, refused(CodeNotOnList)
	}
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	var found Candidate
	x, err = s.store.update(ctx, x.ID, func(x *Session) error {
		if err := x.dayOpen(now); err != nil {
			return err
		}
		var c *Candidate
		for i := range x.Candidates {
			k := &x.Candidates[i]
			if NameKey(k.LastName) == NameKey(in.LastName) && NameKey(k.FirstName) == NameKey(in.FirstName) &&
				k.BirthDate == birth && strings.EqualFold(k.Email, u.Email) {
				c = k
			}
		}
		if c == nil || (c.UserID != "" && c.UserID != u.ID) {
			x.event(now, "checkin-refused", "", u.ID)
			return refused(CodeNotOnList)
		}
		switch c.State {
		case StateAbsent:
			c.UserID, c.State = u.ID, StatePresent
			x.event(now, "checkin", c.ID, "")
		case StateInProgress:
			// A new device or tab: the invigilator authorises it.
			c.State, c.Resume = StatePresent, true
			x.event(now, "checkin-resume", c.ID, "")
		case StateFinished, StateEnded:
			return refused(CodeTestOver)
		}
		found = *c
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return Handle(x.ID, found.ID), &found, nil
}

// Started is a certification test as a candidate's device begins or
// resumes it: the test, and the device token to send with every answer
// (only its hash is stored).
type Started struct {
	Test   *assessments.Test
	Device string
}

// Start begins (or resumes on a new device) the test of a confirmed
// candidate who types the session's access code.
func (s *Service) Start(ctx context.Context, u *profile.User, handle, accessCode string) (*Started, error) {
	if u == nil {
		return nil, errkind.ErrUnauthenticated
	}
	sessionID, candidateID, ok := splitHandle(handle)
	if !ok {
		return nil, errkind.Invalid("candidate", "required")
	}
	x, err := s.store.session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	c := x.candidate(candidateID)
	if c == nil || c.UserID != u.ID {
		return nil, fmt.Errorf("certification: candidate %s: %w", handle, errkind.ErrNotFound)
	}
	now := s.now()
	if err := x.dayOpen(now); err != nil {
		return nil, err
	}
	switch c.State {
	case StateAuthorised:
	case StatePresent:
		return nil, refused(CodeNotConfirmed)
	case StateFinished, StateEnded:
		return nil, refused(CodeTestOver)
	default:
		return nil, refused(CodeNotConfirmed)
	}
	if NormalizeCode(accessCode) != x.AccessCode {
		return nil, refused(CodeAccessCode)
	}
	token := keyring.RandomToken(24)
	device := DeviceHash(token)
	var t *assessments.Test
	if c.TestID == "" {
		t, err = s.assessments.StartCertification(ctx, assessments.CertificationStart{UserID: u.ID, Framework: "crcn",
			Accessible: c.Adjustment, Deadline: c.deadline(now), Device: device, Session: x.ID, Candidate: c.ID})
	} else {
		if err = s.assessments.Authorize(ctx, c.TestID, device); err == nil {
			t, err = s.assessments.CertificationTest(ctx, c.TestID)
		}
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.store.update(ctx, x.ID, func(x *Session) error {
		c := x.candidate(candidateID)
		if c.State != StateAuthorised {
			return refused(CodeNotConfirmed)
		}
		kind := "start"
		if c.TestID != "" {
			kind = "resume"
		}
		c.TestID, c.State, c.Resume = t.ID, StateInProgress, false
		x.event(now, kind, c.ID, "")
		return nil
	}); err != nil {
		return nil, err
	}
	return &Started{Test: t, Device: token}, nil
}

// DeviceHash is the stored form of a device token.
func DeviceHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
