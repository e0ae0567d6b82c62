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

	"ardoise/internal/errkind"
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

// Release gives up a claim taken with Take, so that the next Take of key
// succeeds at once: the caller calls it when the write the claim guarded
// failed, rather than leave the claim standing for its whole ttl.
func (c *Claims) Release(ctx context.Context, key string) error {
	if err := c.rdb.Del(ctx, c.prefix+key).Err(); err != nil {
		return fmt.Errorf("claim %s: release: %w", key, err)
	}
	return nil
}

// lockWait is how long Lock waits for a lock another writer holds.
const lockWait = 3 * time.Second

// Lock takes an exclusive lock on key for at most ttl, waiting up to 3 s
// for a current holder, and returns its release. It serializes the writers
// of one document across processes: on FerretDB two updates of one
// document at once may each overwrite what the other wrote.
func (c *Claims) Lock(ctx context.Context, key string, ttl time.Duration) (func(), error) {
	token := fmt.Sprint(time.Now().UnixNano())
	deadline := time.Now().Add(lockWait)
	for {
		ok, err := c.rdb.SetNX(ctx, c.prefix+"lock:"+key, token, ttl).Result()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", key, err)
		}
		if ok {
			return func() {
				// Release only our own lock (it may have expired and been taken).
				_ = c.rdb.Eval(context.Background(), `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`,
					[]string{c.prefix + "lock:" + key}, token).Err()
			}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("lock %s: held by another writer: %w", key, errkind.ErrConflict)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
