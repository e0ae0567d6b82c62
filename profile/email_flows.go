package profile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"ardoise/internal/errkind"
)

// Pending markers written in the user document before their mail task is
// enqueued (the outbox pattern of the design): the queue only delivers.
const (
	markerWelcome = "welcome-email"
	markerVerify  = "verify-email:"
	markerReset   = "reset-email:"
)

// ResetTTL is how long a password-reset link works.
const ResetTTL = time.Hour

// VerifyTTL is how long an email-verification link works.
const VerifyTTL = 7 * 24 * time.Hour

// ErrBadLink means a verification or reset link is forged, expired or already used.
var ErrBadLink = fmt.Errorf("profile: link invalid, expired or already used: %w", errkind.ErrInvalid)

type verifyClaim struct {
	UserID  string `json:"u"`
	Email   string `json:"e"`
	Expires int64  `json:"x"`
}

type resetClaim struct {
	UserID      string `json:"u"`
	Requested   int64  `json:"r"`
	Fingerprint string `json:"f"`
}

// fingerprint changes whenever the password does, which makes a reset link single-use.
func fingerprint(hash string) string {
	sum := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(sum[:8])
}

func (s *Service) verifyLink(u *User) string {
	raw, _ := json.Marshal(verifyClaim{UserID: u.ID, Email: u.EmailLower, Expires: s.now().Add(VerifyTTL).Unix()})
	return s.baseURL + "/verifier-email?jeton=" + s.keys.Seal("verify-email", raw)
}

func (s *Service) resetLink(u *User) string {
	raw, _ := json.Marshal(resetClaim{UserID: u.ID, Requested: u.ResetRequestedAt.UnixMilli(), Fingerprint: fingerprint(u.PasswordHash)})
	return s.baseURL + "/mot-de-passe/nouveau?jeton=" + s.keys.Seal("reset", raw)
}

// VerifyEmail marks the address in a verification link as verified. Using a
// link twice is harmless; a link for an address the person has since changed fails.
func (s *Service) VerifyEmail(ctx context.Context, token string) (*User, error) {
	raw, err := s.keys.Open("verify-email", token)
	var c verifyClaim
	if err != nil || json.Unmarshal(raw, &c) != nil || s.now().Unix() > c.Expires {
		return nil, ErrBadLink
	}
	u, err := s.store.verifyEmail(ctx, c.UserID, c.Email)
	if errkind.IsNotFound(err) {
		return nil, ErrBadLink
	}
	s.cache.Forget(c.UserID)
	return u, err
}

// ResendVerification queues a new verification email.
func (s *Service) ResendVerification(ctx context.Context, u *User) error {
	if u.EmailVerified {
		return nil
	}
	if ok, wait, err := s.limiter.Allow(ctx, "verify-mail:"+u.ID, 3, time.Hour); err == nil && !ok {
		return &errkind.RateLimitedError{RetryAfter: wait}
	}
	return s.addMarker(ctx, u.ID, markerVerify+strconv.FormatInt(s.now().UnixNano(), 10), time.Time{})
}

// RequestReset queues a password-reset email when an account has this
// address. It says nothing either way, so nobody can probe for accounts.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	v := &errkind.ValidationError{}
	_, lower := normalizeEmail(v, "email", email)
	if err := v.Err(); err != nil {
		return err
	}
	if ok, _, err := s.limiter.Allow(ctx, "reset-mail:"+lower, 5, time.Hour); err == nil && !ok {
		return nil // silently: the person already has several links
	}
	u, err := s.store.UserByEmail(ctx, lower)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.Suspended || u.Deleted {
		return nil
	}
	now := s.now()
	return s.addMarker(ctx, u.ID, markerReset+strconv.FormatInt(now.UnixNano(), 10), now)
}

// ResetPassword sets a new password from a reset link. The link works once,
// for an hour, and only the latest one requested.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (*User, error) {
	v := &errkind.ValidationError{}
	checkPassword(v, "password", password)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := s.openReset(token)
	if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, c.UserID)
	if err != nil || u.Deleted || u.Suspended || fingerprint(u.PasswordHash) != c.Fingerprint ||
		u.ResetRequestedAt.UnixMilli() != c.Requested {
		return nil, ErrBadLink
	}
	// The filter on the old hash makes two concurrent uses of one link succeed once.
	nu, err := s.store.replacePassword(ctx, u, HashPassword(password), true, s.now())
	if errkind.IsNotFound(err) {
		return nil, ErrBadLink
	}
	s.cache.Forget(u.ID)
	s.epochBumped(ctx, nu)
	return nu, err
}

// CheckResetLink tells whether a reset link can still be used, so the form
// can say so before the person types a new password.
func (s *Service) CheckResetLink(token string) error {
	_, err := s.openReset(token)
	return err
}

func (s *Service) openReset(token string) (resetClaim, error) {
	raw, err := s.keys.Open("reset", token)
	var c resetClaim
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return c, ErrBadLink
	}
	if s.now().After(time.UnixMilli(c.Requested).Add(ResetTTL)) {
		return c, ErrBadLink
	}
	return c, nil
}

// addMarker records a pending mail in the user document (with the time of
// a reset request when resetAt is not zero), then enqueues it.
func (s *Service) addMarker(ctx context.Context, userID, marker string, resetAt time.Time) error {
	if err := s.store.addPending(ctx, userID, marker, s.now(), resetAt); err != nil {
		return err
	}
	s.enqueueMail(ctx, userID, marker)
	return nil
}

// enqueueMail enqueues the task for a marker already stored. A failure is
// only logged: the sweeper enqueues it again.
func (s *Service) enqueueMail(ctx context.Context, userID, marker string) {
	s.outbox.After(ctx, UsersCollection, userID, marker)
}

var errNoSuchMarker = errors.New("profile: unknown pending marker")
