// Package claim takes one-time claims on keys in Redis (SET NX with an
// expiry), shared by every process.
//
// Why: FerretDB 1.24 runs an update as a query followed by a blind
// overwrite by _id (measured in its source and by TestAssessmentAPIFlow's
// double submit), so a condition in an update's filter does not exclude a
// concurrent writer there, as it does on MongoDB. A claim on (document,
// version) in Redis makes the loser of such a race fail fast, without an
// extra store command.
package claim

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Claims takes claims under a key prefix.
type Claims struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns claims whose keys start with prefix.
func New(rdb redis.UniversalClient, prefix string) *Claims {
	return &Claims{rdb: rdb, prefix: prefix}
}

// Take claims key for ttl and reports whether this caller got it.
func (c *Claims) Take(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := c.rdb.SetNX(ctx, c.prefix+key, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return ok, nil
}
