package certification

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"ardoise/assessments"
	"ardoise/certificates"
	"ardoise/internal/keyring"
	"ardoise/internal/queue"
	"ardoise/internal/ratelimit"
	"ardoise/profile"
)

// Service runs certification: the only door handlers use.
type Service struct {
	store       *Store
	profile     *profile.Service
	assessments *assessments.Service
	limits      *ratelimit.Limiter
	keys        *keyring.Keyring
	progress    progress
	certs       *certificates.Service
	outbox      *queue.Outbox
	logger      *slog.Logger
	now         func() time.Time
}

// Deps are what the service needs.
type Deps struct {
	Store       *Store
	Profile     *profile.Service
	Assessments *assessments.Service
	// Limits counts invigilator password and check-in tries (Redis).
	Limits *ratelimit.Limiter
	// Keys sign supervision tokens.
	Keys *keyring.Keyring
	// Redis holds the candidates' live answer counts, under RedisPrefix.
	Redis       redis.UniversalClient
	RedisPrefix string
	// Certificates issues the published certifications; Outbox enqueues
	// the task of the session's "certificates" marker.
	Certificates *certificates.Service
	Outbox       *queue.Outbox
	Logger       *slog.Logger
	// Now is the clock (tests move it); time.Now when nil.
	Now func() time.Time
}

// NewService returns the certification service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: d.Store, profile: d.Profile, assessments: d.Assessments, limits: d.Limits, keys: d.Keys,
		progress: progress{rdb: d.Redis, prefix: d.RedisPrefix}, certs: d.Certificates, outbox: d.Outbox,
		logger: d.Logger, now: now}
}

// Store returns the service's store (operator commands, tests).
func (s *Service) Store() *Store { return s.store }

// newID returns a random document id (24 hex characters).
func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
