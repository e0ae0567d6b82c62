// Package ratelimit counts events per key in fixed windows kept in Redis,
// so that every serve process shares the counts.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter counts hits per key.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns a limiter whose keys start with prefix.
func New(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, prefix: prefix}
}

// Count returns the hits recorded for key in its current window and the time
// left in that window.
func (l *Limiter) Count(ctx context.Context, key string) (int64, time.Duration, error) {
	k := l.prefix + key
	pipe := l.rdb.Pipeline()
	get := pipe.Get(ctx, k)
	ttl := pipe.PTTL(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return 0, 0, fmt.Errorf("ratelimit: %w", err)
	}
	n, err := get.Int64()
	if err == redis.Nil {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("ratelimit: %w", err)
	}
	return n, max(ttl.Val(), 0), nil
}

// Hit records one hit for key; the window starts with the first hit.
// It returns the count after the hit and the time left in the window.
func (l *Limiter) Hit(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	k := l.prefix + key
	pipe := l.rdb.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.ExpireNX(ctx, k, window)
	ttl := pipe.PTTL(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, 0, fmt.Errorf("ratelimit: %w", err)
	}
	return incr.Val(), max(ttl.Val(), 0), nil
}

// Allow records a hit and reports whether key stayed within limit hits per window;
// when it did not, it also returns how long to wait.
func (l *Limiter) Allow(ctx context.Context, key string, limit int64, window time.Duration) (bool, time.Duration, error) {
	n, ttl, err := l.Hit(ctx, key, window)
	if err != nil {
		return false, 0, err
	}
	return n <= limit, ttl, nil
}

// Reset forgets the hits of key.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	return l.rdb.Del(ctx, l.prefix+key).Err()
}

// undoHit takes one hit back, if the window still exists and counts any.
var undoHit = redis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0`)

// Undo takes back one hit recorded by Hit in key's current window (a
// counted attempt that turned out legitimate). It never creates a window
// nor goes below zero.
func (l *Limiter) Undo(ctx context.Context, key string) error {
	if err := undoHit.Run(ctx, l.rdb, []string{l.prefix + key}).Err(); err != nil && err != redis.Nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	return nil
}
