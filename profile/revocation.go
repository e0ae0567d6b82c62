package profile

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"ardoise/internal/errkind"
)

// revocations keeps in Redis what ends sessions and tokens before their
// expiry, so that every process sees it on the next request, at the cost of
// one Redis round trip and no store command:
//   - sid:<id>   a session ended by logout, kept until the cookie would expire;
//   - tok:<id>   an API token revoked by its owner, kept until it would expire;
//   - epoch:<u>  the account's latest epoch (logout everywhere, password
//     change or reset, suspension, erasure), kept as long as a token lives.
//
// The epoch is also in the account document, read through the 30 s cache:
// if Redis lost its keys, a revocation by epoch still applies within 30 s.
type revocations struct {
	rdb    redis.UniversalClient
	prefix string
}

// raiseEpoch sets the key to the epoch unless it already holds a higher one,
// so that two concurrent bumps leave the highest.
var raiseEpoch = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1`)

// state returns whether the revocation key named by kind and id is set, and
// the account's published epoch (-1 when none is).
func (r revocations) state(ctx context.Context, kind, id, userID string) (bool, int, error) {
	vals, err := r.rdb.MGet(ctx, r.prefix+kind+":"+id, r.prefix+"epoch:"+userID).Result()
	if err != nil {
		return false, 0, fmt.Errorf("profile: revocations: %v: %w", err, errkind.ErrUnavailable)
	}
	epoch := -1
	if s, ok := vals[1].(string); ok {
		if n, err := strconv.Atoi(s); err == nil {
			epoch = n
		}
	}
	return vals[0] != nil, epoch, nil
}

// revoke marks a session or token id as ended until the given time.
func (r revocations) revoke(ctx context.Context, kind, id string, until time.Time) error {
	ttl := time.Until(until)
	if ttl <= 0 {
		return nil
	}
	if err := r.rdb.Set(ctx, r.prefix+kind+":"+id, "1", ttl).Err(); err != nil {
		return fmt.Errorf("profile: revoke %s: %v: %w", kind, err, errkind.ErrUnavailable)
	}
	return nil
}

// publishEpoch records an account's new epoch for every process.
func (r revocations) publishEpoch(ctx context.Context, userID string, epoch int) error {
	ttl := max(TokenTTL, SessionTTL)
	err := raiseEpoch.Run(ctx, r.rdb, []string{r.prefix + "epoch:" + userID}, epoch, ttl.Milliseconds()).Err()
	if err != nil {
		return fmt.Errorf("profile: publish epoch: %w", err)
	}
	return nil
}

// epochBumped publishes u's new epoch after a store update that raised it.
// A failure is logged: the 30 s account cache still ends the sessions.
func (s *Service) epochBumped(ctx context.Context, u *User) {
	if u == nil {
		return
	}
	s.cache.Forget(u.ID)
	if err := s.revoked.publishEpoch(ctx, u.ID, u.Epoch); err != nil {
		s.logger.Warn("revocation not published; other processes apply it within 30 s", "user", u.ID, "err", err)
	}
}
