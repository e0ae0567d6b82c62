package assessments

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"ardoise/assessments/content"
	"ardoise/internal/claim"
	"ardoise/internal/keyring"
	"ardoise/internal/queue"
)

// timerGrace absorbs network delays before a timed answer counts as late.
const timerGrace = 5 * time.Second

// Service runs positioning tests.
type Service struct {
	store    *Store
	keys     *keyring.Keyring
	outbox   *queue.Outbox
	claims   *claim.Claims
	logger   *slog.Logger
	cooldown time.Duration
	now      func() time.Time
	seed     func() int64 // a new test's seed
	engines  *engines
	// finishHooks run after a finished test, before it is archived.
	finishHooks []FinishHook
	// certificationHooks run after a finished certification test.
	certificationHooks []FinishHook

	mu      sync.Mutex
	current *Bank
	banks   map[string]*Bank
	params  map[string]*ItemParams
	latestP *ItemParams
	// paramsAt is when latestP was read: other processes' calibrations are
	// picked up within paramsRefresh.
	paramsAt time.Time
}

// paramsRefresh is how often a process looks for newer item parameters.
const paramsRefresh = 5 * time.Minute

// Deps are what the service needs.
type Deps struct {
	Store *Store
	Keys  *keyring.Keyring
	// Outbox enqueues the work of the markers the service records.
	Outbox   *queue.Outbox
	Claims   *claim.Claims
	Logger   *slog.Logger
	Cooldown time.Duration
}

// NewService loads the content shipped in the binary; content with problems
// fails here, at start-up (`ardoise content check` lists them).
func NewService(d Deps) (*Service, error) {
	src, err := SourcesFrom(content.FS)
	if err != nil {
		return nil, fmt.Errorf("assessments: content: %w", err)
	}
	bank, problems := Load(src)
	if len(problems) > 0 {
		return nil, fmt.Errorf("assessments: content has %d problems, the first: %s (run `ardoise content check`)", len(problems), problems[0])
	}
	d.Store.locks = d.Claims
	return &Service{store: d.Store, keys: d.Keys, outbox: d.Outbox, claims: d.Claims, logger: d.Logger, cooldown: d.Cooldown,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }, seed: newSeed,
		engines: &built, current: bank, banks: map[string]*Bank{bank.Version: bank}, params: map[string]*ItemParams{}}, nil
}

// Bank is the content version new tests start on.
func (s *Service) Bank() *Bank { return s.current }

// Cooldown is the wait between two tests of one scope.
func (s *Service) Cooldown() time.Duration { return s.cooldown }

// Migrate carries stored tests forward at start: the heads that starting
// a test reads are built once from the tests already there
// (Store.BuildHeads).
func (s *Service) Migrate(ctx context.Context) error {
	n, err := s.store.BuildHeads(ctx)
	if n > 0 {
		s.logger.Info("test heads built", "tests", n)
	}
	return err
}

// Seed stores the current content version and loads the latest item
// parameters; `ardoise seed` and every start call it (it is idempotent).
func (s *Service) Seed(ctx context.Context) error {
	src, err := SourcesFrom(content.FS)
	if err != nil {
		return err
	}
	if err := s.store.SaveContent(ctx, src); err != nil {
		return err
	}
	p, err := s.store.latestParams(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.latestP, s.paramsAt = p, time.Now()
	s.params[p.Version] = p
	s.mu.Unlock()
	return nil
}

// bank returns a content version, from memory or from the store.
func (s *Service) bank(ctx context.Context, version string) (*Bank, error) {
	s.mu.Lock()
	b, ok := s.banks[version]
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	src, err := s.store.loadContent(ctx, version)
	if err != nil {
		return nil, err
	}
	b, problems := Load(src)
	if len(problems) > 0 {
		return nil, fmt.Errorf("assessments: stored content %s: %s", version, problems[0])
	}
	s.mu.Lock()
	s.banks[version] = b
	s.mu.Unlock()
	return b, nil
}

func (s *Service) paramsFor(ctx context.Context, version string) (*ItemParams, error) {
	s.mu.Lock()
	p, ok := s.params[version]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := s.store.paramsByVersion(ctx, version)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.params[version] = p
	s.mu.Unlock()
	return p, nil
}

// currentParams returns the newest item parameters, reading the store again
// when the copy in memory is older than paramsRefresh.
func (s *Service) currentParams(ctx context.Context) *ItemParams {
	s.mu.Lock()
	p, stale := s.latestP, time.Since(s.paramsAt) > paramsRefresh
	s.mu.Unlock()
	if stale {
		if fresh, err := s.store.latestParams(ctx); err == nil {
			s.mu.Lock()
			s.latestP, s.paramsAt, p = fresh, time.Now(), fresh
			s.params[fresh.Version] = fresh
			s.mu.Unlock()
		}
	}
	if p == nil {
		return &ItemParams{Version: initialParamsVersion}
	}
	return p
}

func newTestID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic("assessments: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

func newSeed() int64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("assessments: no randomness: " + err.Error())
	}
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// PrivateLink returns the token of a test's private result link: a MAC of
// its id, so nothing needs storing and nobody can guess another's link.
func (s *Service) PrivateLink(t *Test) string {
	return t.ID + "." + s.keys.Sign("result-link", t.ID)
}
