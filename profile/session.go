package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
)

// SessionTTL is how long a sign-in lasts without activity renewing it.
const SessionTTL = 14 * 24 * time.Hour

// session is what the encrypted cookie holds: no store read is needed to
// know who is signed in, and sessions survive any restart because the key
// is kept in the data dir (or ARDOISE_SECRET_KEY_FILE). The random id lets
// logout end this one session (see revocations).
type session struct {
	ID      string `json:"i"`
	UserID  string `json:"u"`
	Epoch   int    `json:"e"`
	Expires int64  `json:"x"`
}

// NewSession returns the sealed cookie value that signs u in, and its expiry.
func (s *Service) NewSession(u *User) (string, time.Time) {
	exp := s.now().Add(SessionTTL)
	raw, _ := json.Marshal(session{ID: keyring.RandomToken(16), UserID: u.ID, Epoch: u.Epoch, Expires: exp.Unix()})
	return s.keys.Seal("session", raw), exp
}

// openSession reads a cookie; a forged, expired or id-less one (sealed
// before sessions had ids) is ErrUnauthenticated.
func (s *Service) openSession(cookie string) (session, error) {
	var sess session
	raw, err := s.keys.Open("session", cookie)
	if err != nil || json.Unmarshal(raw, &sess) != nil || sess.ID == "" || sess.UserID == "" {
		return sess, fmt.Errorf("profile: session: %w", errkind.ErrUnauthenticated)
	}
	if s.now().Unix() > sess.Expires {
		return sess, fmt.Errorf("profile: session expired: %w", errkind.ErrUnauthenticated)
	}
	return sess, nil
}

// SessionUser returns the account a session cookie signs in. An expired,
// forged or revoked session (logged out, or of an older epoch), or a
// suspended account, is ErrUnauthenticated. It costs one Redis round trip
// and, at most once per 30 s per process, one store read.
func (s *Service) SessionUser(ctx context.Context, cookie string) (*User, error) {
	sess, err := s.openSession(cookie)
	if err != nil {
		return nil, err
	}
	ended, epoch, err := s.revoked.state(ctx, "sid", sess.ID, sess.UserID)
	if err != nil {
		return nil, err
	}
	if ended || sess.Epoch < epoch {
		return nil, fmt.Errorf("profile: session revoked: %w", errkind.ErrUnauthenticated)
	}
	u, err := s.userAtEpoch(ctx, sess.UserID, sess.Epoch)
	if err != nil {
		return nil, err
	}
	if u.Epoch != sess.Epoch || u.Suspended || u.Deleted {
		return nil, fmt.Errorf("profile: session revoked: %w", errkind.ErrUnauthenticated)
	}
	return u, nil
}

// userAtEpoch reads an account through the cache, and again from the store
// when the credential carries a newer epoch than the cached copy (it was
// issued by another process after this one cached the account).
func (s *Service) userAtEpoch(ctx context.Context, id string, epoch int) (*User, error) {
	u, err := s.cachedUser(ctx, id)
	if err != nil || u.Epoch >= epoch {
		return u, err
	}
	s.cache.Forget(id)
	return s.cachedUser(ctx, id)
}

// EndSession ends the session of this cookie only (logout): its id stays
// revoked in Redis until the cookie would have expired. An invalid cookie
// has nothing to end.
func (s *Service) EndSession(ctx context.Context, cookie string) error {
	sess, err := s.openSession(cookie)
	if err != nil {
		return nil
	}
	return s.revoked.revoke(ctx, "sid", sess.ID, time.Unix(sess.Expires+1, 0))
}

// cachedUser reads an account through the short in-memory cache: a busy
// person's requests cost one store read per cache period, not one each.
func (s *Service) cachedUser(ctx context.Context, id string) (*User, error) {
	if u, ok := s.cache.Get(id); ok {
		return u, nil
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		if errkind.IsNotFound(err) {
			return nil, fmt.Errorf("profile: session of a removed account: %w", errkind.ErrUnauthenticated)
		}
		return nil, err
	}
	s.cache.Put(u.ID, u)
	return u, nil
}

// maxCached bounds the memory of the account and token caches.
const maxCached = 50000
