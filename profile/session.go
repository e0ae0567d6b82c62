package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"ardoise/internal/errkind"
)

// SessionTTL is how long a sign-in lasts without activity renewing it.
const SessionTTL = 14 * 24 * time.Hour

// session is what the encrypted cookie holds: no store read is needed to
// know who is signed in, and sessions survive any restart because the key
// is kept in the data dir (or ARDOISE_SECRET_KEY_FILE).
type session struct {
	UserID  string `json:"u"`
	Epoch   int    `json:"e"`
	Expires int64  `json:"x"`
}

// NewSession returns the sealed cookie value that signs u in, and its expiry.
func (s *Service) NewSession(u *User) (string, time.Time) {
	exp := s.now().Add(SessionTTL)
	raw, _ := json.Marshal(session{UserID: u.ID, Epoch: u.Epoch, Expires: exp.Unix()})
	return s.keys.Seal("session", raw), exp
}

// SessionUser returns the account a session cookie signs in. An expired,
// forged or revoked (older epoch) session, or a suspended account, is ErrUnauthenticated.
func (s *Service) SessionUser(ctx context.Context, cookie string) (*User, error) {
	raw, err := s.keys.Open("session", cookie)
	if err != nil {
		return nil, fmt.Errorf("profile: session: %w", errkind.ErrUnauthenticated)
	}
	var sess session
	if json.Unmarshal(raw, &sess) != nil || s.now().Unix() > sess.Expires {
		return nil, fmt.Errorf("profile: session expired: %w", errkind.ErrUnauthenticated)
	}
	u, err := s.cachedUser(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Epoch != sess.Epoch || u.Suspended || u.Deleted {
		return nil, fmt.Errorf("profile: session revoked: %w", errkind.ErrUnauthenticated)
	}
	return u, nil
}

// cachedUser reads an account through the short in-memory cache: a busy
// person's requests cost one store read per cache period, not one each.
func (s *Service) cachedUser(ctx context.Context, id string) (*User, error) {
	if u, ok := s.cache.get(id); ok {
		return u, nil
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		if errkind.IsNotFound(err) {
			return nil, fmt.Errorf("profile: session of a removed account: %w", errkind.ErrUnauthenticated)
		}
		return nil, err
	}
	s.cache.put(u.ID, u)
	return u, nil
}

// ttlCache keeps values for a short time. Changes made in this process
// evict at once; a change made by another process (a suspension, a role
// change, a revoked token) is seen within the cache period.
type ttlCache[T any] struct {
	mu    sync.Mutex
	ttl   time.Duration
	items map[string]cached[T]
}

type cached[T any] struct {
	v  T
	at time.Time
}

// maxCached bounds the memory of a cache.
const maxCached = 50000

func newCache[T any](ttl time.Duration) *ttlCache[T] {
	return &ttlCache[T]{ttl: ttl, items: map[string]cached[T]{}}
}

func (c *ttlCache[T]) get(key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || time.Since(e.at) > c.ttl {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[T]) put(key string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= maxCached {
		// Bounded memory: drop everything expired, or everything if none is.
		now := time.Now()
		for k, e := range c.items {
			if now.Sub(e.at) > c.ttl {
				delete(c.items, k)
			}
		}
		if len(c.items) >= maxCached {
			c.items = map[string]cached[T]{}
		}
	}
	c.items[key] = cached[T]{v: v, at: time.Now()}
}

func (c *ttlCache[T]) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}
