package profile

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
)

// Registration limits: a whole school shares one address, so the limit per
// address is generous; an address may receive at most registrationsPerEmail
// welcome mails a day, so nobody can flood a stranger's mailbox.
const (
	// DefaultRegistrationsPerIP is how many accounts one address may register an hour.
	DefaultRegistrationsPerIP = 30
	registrationsPerEmail     = 3
	registrationIPWindow      = time.Hour
	registrationEmailWindow   = 24 * time.Hour
)

// RegisterFrom is Register for a person at address ip, within the
// registration limits: valid requests are counted per address (an hour)
// and per email address (a day), before the account is created; over a
// limit it is an *errkind.RateLimitedError.
func (s *Service) RegisterFrom(ctx context.Context, in RegisterInput, ip string) (*User, error) {
	u, err := in.validate("territory.")
	if err != nil {
		return nil, err
	}
	for _, k := range []struct {
		key    string
		limit  int64
		window time.Duration
	}{
		{"register:ip:" + ip, s.registerPerIP, registrationIPWindow},
		{"register:email:" + s.keys.Sign("register", u.EmailLower), registrationsPerEmail, registrationEmailWindow},
	} {
		ok, wait, err := s.limiter.Allow(ctx, k.key, k.limit, k.window)
		if err != nil {
			return nil, fmt.Errorf("profile: registration limit: %v: %w", err, errkind.ErrUnavailable)
		}
		if !ok {
			return nil, &errkind.RateLimitedError{RetryAfter: max(wait, time.Second)}
		}
	}
	return s.Register(ctx, in)
}
