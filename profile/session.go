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
	if u := s.cache.get(id); u != nil {
		return u, nil
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		if errkind.IsNotFound(err) {
			return nil, fmt.Errorf("profile: session of a removed account: %w", errkind.ErrUnauthenticated)
		}
		return nil, err
	}
	s.cache.put(u)
	return u, nil
}

// userCache keeps accounts for a short time. Changes made in this process
// evict at once; a change made by another process (a suspension, a role
// change) is seen within the cache period.
type userCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	items map[string]cachedUser
}

type cachedUser struct {
	u  *User
	at time.Time
}

func newUserCache(ttl time.Duration) *userCache {
	return &userCache{ttl: ttl, items: map[string]cachedUser{}}
}

func (c *userCache) get(id string) *User {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok || time.Since(e.at) > c.ttl {
		return nil
	}
	return e.u
}

func (c *userCache) put(u *User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) > 50000 {
		// Bounded memory: drop everything expired, or everything if none is.
		now := time.Now()
		for k, e := range c.items {
			if now.Sub(e.at) > c.ttl {
				delete(c.items, k)
			}
		}
		if len(c.items) > 50000 {
			c.items = map[string]cachedUser{}
		}
	}
	c.items[u.ID] = cachedUser{u: u, at: time.Now()}
}

func (c *userCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, id)
}
