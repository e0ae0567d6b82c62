package profile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
)

// TokenTTL is how long an API token is valid.
const TokenTTL = 90 * 24 * time.Hour

// tokenPrefix marks Ardoise API tokens, so that a leaked one is easy to spot.
const tokenPrefix = "ard_"

// APIToken is a bearer token's stored record. Only the SHA-256 of the token
// is kept: a copy of the database gives nobody a usable token.
type APIToken struct {
	ID        string    `bson:"_id" json:"id"`
	UserID    string    `bson:"userId" json:"-"`
	Label     string    `bson:"label" json:"label"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt" json:"expiresAt"`
	// Epoch is the account's epoch when the token was made: a later bump
	// (logout everywhere, password change or reset, suspension) ends it.
	Epoch int `bson:"epoch" json:"-"`
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a bearer token for u. The token itself is returned once
// and never stored.
func (s *Service) CreateToken(ctx context.Context, u *User, label string) (string, APIToken, error) {
	v := &errkind.ValidationError{}
	label = cleanText(v, "label", label, true, 60)
	if err := v.Err(); err != nil {
		return "", APIToken{}, err
	}
	token := tokenPrefix + keyring.RandomToken(32)
	now := s.now()
	t := APIToken{ID: tokenID(token), UserID: u.ID, Label: label, CreatedAt: now, ExpiresAt: now.Add(TokenTTL), Epoch: u.Epoch}
	if err := s.store.insertToken(ctx, t); err != nil {
		return "", APIToken{}, err
	}
	return token, t, nil
}

// TokenUser returns the account and token record a bearer token stands for.
func (s *Service) TokenUser(ctx context.Context, token string) (*User, APIToken, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return nil, APIToken{}, fmt.Errorf("profile: token: %w", errkind.ErrUnauthenticated)
	}
	// Like sessions, a token costs a store read once per cache period, not
	// once per request; a revocation in another process applies within it.
	id := tokenID(token)
	t, ok := s.tokens.Get(id)
	if !ok {
		var err error
		if t, err = s.store.token(ctx, id); err != nil {
			if errkind.IsNotFound(err) {
				return nil, APIToken{}, fmt.Errorf("profile: unknown token: %w", errkind.ErrUnauthenticated)
			}
			return nil, APIToken{}, err
		}
		s.tokens.Put(id, t)
	}
	if s.now().After(t.ExpiresAt) {
		return nil, APIToken{}, fmt.Errorf("profile: token expired: %w", errkind.ErrUnauthenticated)
	}
	// Revocations are read from Redis, so every process sees them at once.
	revoked, epoch, err := s.revoked.state(ctx, "tok", id, t.UserID)
	if err != nil {
		return nil, APIToken{}, err
	}
	if revoked || t.Epoch < epoch {
		return nil, APIToken{}, fmt.Errorf("profile: token revoked: %w", errkind.ErrUnauthenticated)
	}
	u, err := s.userAtEpoch(ctx, t.UserID, t.Epoch)
	if err != nil {
		return nil, APIToken{}, err
	}
	if t.Epoch < u.Epoch {
		return nil, APIToken{}, fmt.Errorf("profile: token of an earlier epoch: %w", errkind.ErrUnauthenticated)
	}
	if u.Suspended || u.Deleted {
		return nil, APIToken{}, fmt.Errorf("profile: token of a closed account: %w", errkind.ErrUnauthenticated)
	}
	return u, t, nil
}

// Tokens lists a person's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID string) ([]APIToken, error) {
	return s.store.tokensOf(ctx, userID)
}

// RevokeToken deletes one of the person's own tokens; every process
// refuses it from the next request on.
func (s *Service) RevokeToken(ctx context.Context, userID, id string) error {
	s.tokens.Forget(id)
	if err := s.store.deleteToken(ctx, userID, id); err != nil {
		return err
	}
	if err := s.revoked.revoke(ctx, "tok", id, s.now().Add(TokenTTL)); err != nil {
		s.logger.Warn("token revocation not published; other processes apply it within 30 s", "err", err)
	}
	return nil
}

// DeleteExpiredTokens removes tokens past their expiry (a scheduled task:
// FerretDB has no TTL indexes).
func (s *Service) DeleteExpiredTokens(ctx context.Context) (int64, error) {
	return s.store.deleteTokensExpiredAt(ctx, s.now())
}
