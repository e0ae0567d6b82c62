package profile

import (
	"context"
	"time"
)

// StoreOf is the service's store, for tests of its writes.
func StoreOf(s *Service) *Store { return s.store }

// AddPending records a pending marker on an account, as the mail flows do.
func (s *Store) AddPending(ctx context.Context, id, marker string) error {
	return s.addPending(ctx, id, marker, time.Now().UTC(), time.Time{})
}

// ClearPending takes a marker off an account, as a mail task does when sent.
func (s *Store) ClearPending(ctx context.Context, id, marker string) error {
	return s.clearPending(ctx, id, marker)
}

// VerifyEmail marks an account's address verified, as the link does.
func (s *Store) VerifyEmail(ctx context.Context, id, emailLower string) error {
	_, err := s.verifyEmail(ctx, id, emailLower)
	return err
}
