package profile

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/errkind"
)

// insertToken stores a new API token record.
func (s *Store) insertToken(ctx context.Context, t APIToken) error {
	if _, err := s.tokens.InsertOne(ctx, t); err != nil {
		return fmt.Errorf("profile: create token: %w", err)
	}
	return nil
}

// token returns the token record with id (the hash of the token).
func (s *Store) token(ctx context.Context, id string) (APIToken, error) {
	var t APIToken
	if err := s.tokens.FindOne(ctx, bson.M{"_id": id}).Decode(&t); err != nil {
		return APIToken{}, notFound(err, "token")
	}
	return t, nil
}

// tokensOf lists a person's tokens, newest first, at most 100.
func (s *Store) tokensOf(ctx context.Context, userID string) ([]APIToken, error) {
	cur, err := s.tokens.Find(ctx, bson.M{"userId": userID},
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

// deleteToken deletes the token id of userID; another's token, or none,
// is not found.
func (s *Store) deleteToken(ctx context.Context, userID, id string) error {
	res, err := s.tokens.DeleteOne(ctx, bson.M{"_id": id, "userId": userID})
	if err != nil {
		return fmt.Errorf("profile: revoke token: %w", err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("profile: token: %w", errkind.ErrNotFound)
	}
	return nil
}

// deleteTokensExpiredAt deletes the tokens expired at now and returns how many.
func (s *Store) deleteTokensExpiredAt(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.tokens.DeleteMany(ctx, bson.M{"expiresAt": bson.M{"$lt": now}})
	if err != nil {
		return 0, fmt.Errorf("profile: expired tokens: %w", err)
	}
	return res.DeletedCount, nil
}

// deleteTokensOf deletes every token of a person.
func (s *Store) deleteTokensOf(ctx context.Context, userID string) error {
	if _, err := s.tokens.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
		return fmt.Errorf("profile: delete tokens: %w", err)
	}
	return nil
}

// renameAuditTarget writes name as the target of every audit entry about
// targetID (an erased account's entries keep no name).
func (s *Store) renameAuditTarget(ctx context.Context, targetID, name string) error {
	if _, err := s.audit.UpdateMany(ctx, bson.M{"targetId": targetID}, bson.M{"$set": bson.M{"target": name}}); err != nil {
		return fmt.Errorf("profile: anonymize audit: %w", err)
	}
	return nil
}
