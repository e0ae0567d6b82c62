package profile

import (
	"context"

	"ardoise/internal/errkind"
)

// CredentialEmail is the address whose salted hash identifies an account
// in its Open Badges credentials: the account's address, or "" for an
// account erased, gone or without one (the credential then hashes the
// account's identifier instead).
func (s *Service) CredentialEmail(ctx context.Context, id string) (string, error) {
	u, err := s.store.User(ctx, id)
	if errkind.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if u.Deleted {
		return "", nil
	}
	return u.EmailLower, nil
}
