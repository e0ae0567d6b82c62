package profile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"ardoise/internal/claim"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/queue"
	"ardoise/internal/ratelimit"
	"ardoise/internal/ttlcache"
)

// Service is the profile domain: every action on accounts goes through it.
type Service struct {
	store   *Store
	keys    *keyring.Keyring
	outbox  *queue.Outbox
	mailer  *mail.Mailer
	limiter *ratelimit.Limiter
	msgs    *i18n.Catalog
	baseURL string
	logger  *slog.Logger
	cache   *ttlcache.Cache[string, *User]
	tokens  *ttlcache.Cache[string, APIToken]
	revoked revocations
	// registerPerIP is how many accounts one address may register an hour.
	registerPerIP int64
	now           func() time.Time
}

// Deps are what the service needs.
type Deps struct {
	Store *Store
	Keys  *keyring.Keyring
	// Outbox enqueues the work of the markers the service records.
	Outbox  *queue.Outbox
	Mailer  *mail.Mailer
	Limiter *ratelimit.Limiter
	Catalog *i18n.Catalog
	BaseURL string
	Logger  *slog.Logger
	// Redis holds session and token revocations, under RedisPrefix.
	Redis       redis.UniversalClient
	RedisPrefix string
	// RegistrationsPerIP is how many accounts one address may register an
	// hour (DefaultRegistrationsPerIP when 0).
	RegistrationsPerIP int
	// Claims lock an account during its updates (see Store.claims).
	Claims *claim.Claims
}

// NewService builds the service.
func NewService(d Deps) *Service {
	if d.Store != nil && d.Claims != nil {
		d.Store.claims = d.Claims
	}
	s := &Service{
		store: d.Store, keys: d.Keys, outbox: d.Outbox, mailer: d.Mailer, limiter: d.Limiter,
		msgs: d.Catalog, baseURL: strings.TrimRight(d.BaseURL, "/"), logger: d.Logger,
		cache: ttlcache.New[string, *User](30*time.Second, maxCached), tokens: ttlcache.New[string, APIToken](30*time.Second, maxCached), now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) },
		revoked: revocations{rdb: d.Redis, prefix: d.RedisPrefix}, registerPerIP: int64(d.RegistrationsPerIP),
	}
	if s.registerPerIP <= 0 {
		s.registerPerIP = DefaultRegistrationsPerIP
	}
	return s
}

// newID returns a random 24-hex-digit id, like an ObjectID but unguessable.
func newID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic("profile: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// RegisterInput is what a person gives to create an account.
type RegisterInput struct {
	Email       string    `json:"email"`
	Password    string    `json:"password"`
	Name        string    `json:"name"`
	DisplayName string    `json:"displayName"`
	Handle      string    `json:"handle"`
	Kind        string    `json:"kind"`
	Territory   Territory `json:"territory"`
	Locale      string    `json:"locale"`
}

// validate checks the input and returns the account it describes, without id or hash.
func (in RegisterInput) validate(prefix string) (*User, error) {
	v := &errkind.ValidationError{}
	u := &User{}
	u.Email, u.EmailLower = normalizeEmail(v, "email", in.Email)
	checkPassword(v, "password", in.Password)
	u.Name = cleanName(v, "name", in.Name, true, MaxNameLen)
	u.DisplayName = cleanName(v, "displayName", in.DisplayName, false, 60)
	if strings.TrimSpace(in.Handle) != "" {
		u.Handle = normalizeHandle(v, "handle", in.Handle)
	}
	switch Kind(in.Kind) {
	case KindTeacher, KindParent:
		u.Kind = Kind(in.Kind)
	case "":
		v.Add("kind", "required")
	default:
		v.Add("kind", "bad_choice")
	}
	u.Territory = in.Territory.normalize(v, prefix)
	u.SpaceMembership = admitted(u.Territory)
	if u.Kind == KindParent && u.Territory.UAI != "" {
		// A parent's school would identify their child: not asked, not kept.
		u.Territory.UAI = ""
	}
	u.Locale = i18n.Supported(in.Locale)
	return u, v.Err()
}

// Register creates a learner account and queues its welcome email, which
// carries the email-verification link. It applies no rate limit: requests
// from people go through RegisterFrom.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*User, error) {
	u, err := in.validate("territory.")
	if err != nil {
		return nil, err
	}
	u.Roles = rolesFor(RoleLearner)
	u.Pending = []string{markerWelcome}
	if err := s.insertNew(ctx, u, in.Password, strings.TrimSpace(in.Handle) != ""); err != nil {
		return nil, err
	}
	s.enqueueMail(ctx, u.ID, markerWelcome)
	return u, nil
}

// CreateInput is what an operator gives to `ardoise user create`.
type CreateInput struct {
	RegisterInput
	Role Role
}

// Create makes an account from the command line: verified, with the given role, no welcome mail.
func (s *Service) Create(ctx context.Context, in CreateInput) (*User, error) {
	if in.Kind == "" {
		in.Kind = string(KindTeacher)
	}
	u, err := in.validate("territory.")
	if err != nil {
		return nil, err
	}
	if _, ok := ParseRole(string(in.Role)); !ok {
		return nil, errkind.Invalid("role", "bad_choice")
	}
	u.Roles = rolesFor(in.Role)
	if u.Has(RoleInspector) {
		// An inspector created with a territory oversees it, without its school.
		u.Scope = u.Territory.Scope()
	}
	u.EmailVerified = true
	if err := s.insertNew(ctx, u, in.Password, strings.TrimSpace(in.Handle) != ""); err != nil {
		return nil, err
	}
	return u, nil
}

// insertNew hashes the password and inserts u, deriving a free handle when
// none was chosen. The unique indexes decide, so two registrations racing
// for one email cannot both succeed.
func (s *Service) insertNew(ctx context.Context, u *User, password string, chosenHandle bool) error {
	u.ID = newID()
	u.PasswordHash = HashPassword(password)
	u.CreatedAt = s.now()
	u.UpdatedAt = u.CreatedAt
	if len(u.Pending) > 0 {
		u.PendingAt = u.CreatedAt
	}
	base := u.Handle
	if !chosenHandle {
		base = handleFrom(u.Name)
		u.Handle = base
	}
	for attempt := 0; ; attempt++ {
		// The unique skeleton claims the handle and every look-alike of it.
		u.HandleSkeleton = handleSkeleton(u.Handle)
		err := s.store.InsertUser(ctx, u)
		if !errors.Is(err, errDuplicate) {
			return err
		}
		// Which unique key clashed? Only on this rare path do we look.
		if _, err := s.store.UserByEmail(ctx, u.EmailLower); err == nil {
			return fmt.Errorf("profile: register: %w", &errkind.ValidationError{Fields: []errkind.FieldError{{Field: "email", Code: "email_taken"}}})
		}
		if chosenHandle || attempt >= 8 {
			return fmt.Errorf("profile: register: %w", &errkind.ValidationError{Fields: []errkind.FieldError{{Field: "handle", Code: "taken"}}})
		}
		u.Handle = fmt.Sprintf("%s-%s", base, strings.ToLower(keyring.RandomToken(3))[:4])
		u.Handle = strings.NewReplacer("_", "x").Replace(u.Handle)
	}
}

// User returns an account by id.
func (s *Service) User(ctx context.Context, id string) (*User, error) { return s.store.User(ctx, id) }

// ErrBadCredentials is a wrong email or password; it wraps ErrUnauthenticated.
var ErrBadCredentials = fmt.Errorf("profile: wrong email or password: %w", errkind.ErrUnauthenticated)

// ErrSuspended means the account exists but is suspended; it wraps ErrForbidden.
var ErrSuspended = fmt.Errorf("profile: account suspended: %w", errkind.ErrForbidden)

// Login backoff: every attempt is counted before the password is checked,
// and the count is rolled back only when the password was right. After
// pairFailures attempts for one (account, IP) pair within loginWindow, that
// pair waits until the window ends. An IP alone has a much higher ceiling,
// so a school behind one address is not locked out and nobody can lock a
// teacher out from elsewhere.
const (
	pairFailures = 5
	ipFailures   = 200
	loginWindow  = 15 * time.Minute
)

// Authenticate checks an email and password from ip. The attempt is counted
// atomically (INCR) for the pair and the IP before the password check, so
// parallel guesses cannot all pass the limit; a right password undoes its
// own count (the pair's counter starts again, the IP's loses this attempt).
func (s *Service) Authenticate(ctx context.Context, email, password, ip string) (*User, error) {
	emailKey := strings.ToLower(strings.TrimSpace(email))
	pairKey := "login:pair:" + s.keys.Sign("login", emailKey, ip)
	ipKey := "login:ip:" + ip
	for _, k := range []struct {
		key   string
		limit int64
	}{{pairKey, pairFailures}, {ipKey, ipFailures}} {
		n, ttl, err := s.limiter.Hit(ctx, k.key, loginWindow)
		if err != nil {
			return nil, fmt.Errorf("profile: login: %w", errkind.ErrUnavailable)
		}
		if n > k.limit {
			return nil, &errkind.RateLimitedError{RetryAfter: max(ttl, time.Second)}
		}
	}
	u, err := s.store.UserByEmail(ctx, emailKey)
	if err != nil && !errors.Is(err, errkind.ErrNotFound) {
		return nil, err
	}
	hash := dummyHash()
	if u != nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, _ := CheckPassword(hash, password)
	if u == nil || u.Deleted || !ok {
		return nil, ErrBadCredentials
	}
	err1 := s.limiter.Reset(ctx, pairKey)
	err2 := s.limiter.Undo(ctx, ipKey)
	if err := errors.Join(err1, err2); err != nil {
		s.logger.Warn("login limiter", "err", err)
	}
	if u.Suspended {
		return nil, ErrSuspended
	}
	return u, nil
}

// ProfileInput is what a person may change on their own profile.
type ProfileInput struct {
	Name        string    `json:"name"`
	DisplayName string    `json:"displayName"`
	Handle      string    `json:"handle"`
	Territory   Territory `json:"territory"`
	Locale      string    `json:"locale"`
}

// UpdateProfile changes a person's own profile. A new territory pushes the
// old one into the history with the date it ended.
func (s *Service) UpdateProfile(ctx context.Context, u *User, in ProfileInput) (*User, error) {
	v := &errkind.ValidationError{}
	name := cleanName(v, "name", in.Name, true, MaxNameLen)
	display := cleanName(v, "displayName", in.DisplayName, false, 60)
	handle := normalizeHandle(v, "handle", in.Handle)
	terr := in.Territory.normalize(v, "territory.")
	if u.Kind == KindParent {
		terr.UAI = ""
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	edit := profileEdit{Name: name, DisplayName: display, Handle: handle, Territory: terr,
		Locale: i18n.Supported(in.Locale), At: now}
	if handle != u.Handle || u.HandleSkeleton == "" {
		// An update that breaks a unique index is not reported as a duplicate
		// by FerretDB, so the handle and its look-alikes (same skeleton) are
		// checked first; the unique indexes still guard MongoDB.
		skel := handleSkeleton(handle)
		other, err := s.store.UserByHandleSkeleton(ctx, skel)
		switch {
		case err != nil && !errkind.IsNotFound(err):
			return nil, err
		case err == nil && other.ID != u.ID && handle != u.Handle:
			return nil, errkind.Invalid("handle", "taken")
		case err != nil || other.ID == u.ID:
			edit.Skeleton = skel
		}
		if handle != u.Handle {
			if other, err := s.store.UserByHandle(ctx, handle); err == nil && other.ID != u.ID {
				return nil, errkind.Invalid("handle", "taken")
			}
		}
	}
	if terr != u.Territory && !u.Territory.IsZero() {
		edit.Left = &TerritoryChange{Territory: u.Territory, Until: now}
	}
	edit.Spaces = moveSpaces(u, terr)
	nu, err := s.store.editProfile(ctx, u.ID, edit)
	if err != nil {
		return nil, err
	}
	s.cache.Forget(u.ID)
	return nu, nil
}

// SetLocale records the language a person chose.
func (s *Service) SetLocale(ctx context.Context, u *User, lang string) error {
	err := s.store.setLocale(ctx, u.ID, i18n.Supported(lang))
	s.cache.Forget(u.ID)
	return err
}

// ChangePassword replaces the password after checking the current one, and
// ends every other session and every API token.
func (s *Service) ChangePassword(ctx context.Context, u *User, current, next string) (*User, error) {
	v := &errkind.ValidationError{}
	if ok, _ := CheckPassword(u.PasswordHash, current); !ok {
		v.Add("current", "wrong_password")
	}
	checkPassword(v, "password", next)
	if err := v.Err(); err != nil {
		return nil, err
	}
	nu, err := s.store.replacePassword(ctx, u, HashPassword(next), false, s.now())
	if errors.Is(err, errkind.ErrNotFound) {
		return nil, fmt.Errorf("profile: password changed meanwhile: %w", errkind.ErrConflict)
	}
	s.cache.Forget(u.ID)
	s.epochBumped(ctx, nu)
	return nu, err
}

// LogoutEverywhere ends every session and every API token of the person.
func (s *Service) LogoutEverywhere(ctx context.Context, u *User) error {
	nu, err := s.store.bumpEpoch(ctx, u.ID)
	s.cache.Forget(u.ID)
	s.epochBumped(ctx, nu)
	return err
}
