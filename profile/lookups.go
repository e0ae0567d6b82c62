package profile

import (
	"context"
	"time"
)

// ListUsers returns accounts in id order after the given id, optionally
// filtered by a search on email, name or handle (a prefix of any word),
// for the user administration page and command.
func (s *Service) ListUsers(ctx context.Context, search, after string, limit int) (UserPage, error) {
	return s.store.ListUsers(ctx, search, after, limit)
}

// Audit lists audit entries, newest first, older than before when it is
// set; targetID filters on one account when not empty.
func (s *Service) Audit(ctx context.Context, targetID string, before time.Time, limit int) ([]AuditEntry, error) {
	return s.store.Audit(ctx, targetID, before, limit)
}

// UserByHandle returns the account with this handle (the communities find
// mentioned people and public cards by it).
func (s *Service) UserByHandle(ctx context.Context, handle string) (*User, error) {
	return s.store.UserByHandle(ctx, handle)
}
