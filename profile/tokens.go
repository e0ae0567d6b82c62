package profile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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
}

func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a bearer token for u. The token itself is returned once
// and never stored.
func (s *Service) CreateToken(ctx context.Context, u *User, label string) (string, APIToken, error) {
	token := tokenPrefix + keyring.RandomToken(32)
	now := s.now()
	t := APIToken{ID: tokenID(token), UserID: u.ID, Label: label, CreatedAt: now, ExpiresAt: now.Add(TokenTTL)}
	if _, err := s.store.tokens.InsertOne(ctx, t); err != nil {
		return "", APIToken{}, fmt.Errorf("profile: create token: %w", err)
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
	t, ok := s.tokens.get(id)
	if !ok {
		if err := s.store.tokens.FindOne(ctx, bson.M{"_id": id}).Decode(&t); err != nil {
			if err := notFound(err, "token"); errkind.IsNotFound(err) {
				return nil, APIToken{}, fmt.Errorf("profile: unknown token: %w", errkind.ErrUnauthenticated)
			}
			return nil, APIToken{}, err
		}
		s.tokens.put(id, t)
	}
	if s.now().After(t.ExpiresAt) {
		return nil, APIToken{}, fmt.Errorf("profile: token expired: %w", errkind.ErrUnauthenticated)
	}
	u, err := s.cachedUser(ctx, t.UserID)
	if err != nil {
		return nil, APIToken{}, err
	}
	if u.Suspended || u.Deleted {
		return nil, APIToken{}, fmt.Errorf("profile: token of a closed account: %w", errkind.ErrUnauthenticated)
	}
	return u, t, nil
}

// Tokens lists a person's tokens, newest first.
func (s *Service) Tokens(ctx context.Context, userID string) ([]APIToken, error) {
	cur, err := s.store.tokens.Find(ctx, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(100))
	if err != nil {
		return nil, fmt.Errorf("profile: tokens: %w", err)
	}
	var out []APIToken
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("profile: tokens: %w", err)
	}
	return out, nil
}

// RevokeToken deletes one of the person's own tokens.
func (s *Service) RevokeToken(ctx context.Context, userID, id string) error {
	s.tokens.forget(id)
	res, err := s.store.tokens.DeleteOne(ctx, bson.M{"_id": id, "userId": userID})
	if err != nil {
		return fmt.Errorf("profile: revoke token: %w", err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("profile: token: %w", errkind.ErrNotFound)
	}
	return nil
}

// DeleteExpiredTokens removes tokens past their expiry (a scheduled task:
// FerretDB has no TTL indexes).
func (s *Service) DeleteExpiredTokens(ctx context.Context) (int64, error) {
	res, err := s.store.tokens.DeleteMany(ctx, bson.M{"expiresAt": bson.M{"$lt": s.now()}})
	if err != nil {
		return 0, fmt.Errorf("profile: expired tokens: %w", err)
	}
	return res.DeletedCount, nil
}
