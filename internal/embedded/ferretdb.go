// Package embedded starts the zero-setup infrastructure inside the Ardoise
// process: FerretDB 1.24 (over SQLite files or PostgreSQL) and miniredis.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Store is a running embedded FerretDB server.
type Store struct {
	uri       string
	pgURL     string // with custom plans; empty on SQLite
	sqliteDir string
	logger    *slog.Logger
	cancel    context.CancelFunc
	done      chan struct{}
}

// StoreOptions says where the embedded FerretDB keeps its data and where it listens.
type StoreOptions struct {
	// SQLiteDir is the directory holding one SQLite file per database; used
	// when PostgresURL is empty. It is created if missing.
	SQLiteDir string
	// PostgresURL, when set, makes FerretDB store its data in that PostgreSQL database.
	PostgresURL string
	// Addr is the TCP address to listen on; "127.0.0.1:0" picks a free port.
	Addr string
	// Logger receives FerretDB's warnings; FerretDB logs every connection at
	// info level (and warns of every command it lacks, such as the driver's
	// endSessions), so it is given its own logger at error level.
	Logger *slog.Logger
	// TuneEvery, when set, runs Tune over every database at that period, so
	// that databases and collections created after start get their
	// indexes too. The caller tunes its own database once it has created
	// its collections (boot does, after EnsureIndexes).
	TuneEvery time.Duration
	// Untuned starts FerretDB over PostgreSQL without WithCustomPlans, as
	// it ran before Ardoise tuned it: the scaling benchmark's --untuned
	// baseline. Such a store should not be tuned either.
	Untuned bool
}

// StartStore starts FerretDB in this process and returns once it accepts connections.
func StartStore(opts StoreOptions) (*Store, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: opts.Addr},
		Logger:   slog.New(levelFilter{logger.Handler(), slog.LevelError}),
	}
	s := &Store{logger: logger}
	if opts.PostgresURL != "" {
		pgURL := opts.PostgresURL
		if !opts.Untuned {
			var err error
			if pgURL, err = WithCustomPlans(pgURL); err != nil {
				return nil, err
			}
		}
		// The pool's parameters are pgxpool's: FerretDB's pool reads them,
		// a plain connection (Tune's) would send them to PostgreSQL.
		pooled, err := withWarmPool(pgURL)
		if err != nil {
			return nil, err
		}
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL, s.pgURL = pooled, pgURL
	} else {
		// FerretDB refuses a SQLite directory that does not exist yet.
		if err := os.MkdirAll(opts.SQLiteDir, 0o700); err != nil {
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		abs, err := filepath.Abs(opts.SQLiteDir)
		if err != nil {
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		cfg.Handler = "sqlite"
		cfg.SQLiteURL = "file:" + abs + "/"
		s.sqliteDir = abs
	}
	f, err := ferretdb.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI blocks until the listener has its address.
	uriCh := make(chan string, 1)
	go func() { uriCh <- f.MongoDBURI() }()
	select {
	case s.uri = <-uriCh:
	case <-time.After(15 * time.Second):
		cancel()
		return nil, errors.New("embedded store: FerretDB did not start listening within 15 s")
	case <-s.done:
		cancel()
		return nil, errors.New("embedded store: FerretDB stopped during start-up")
	}
	if opts.TuneEvery > 0 {
		go s.tuneEvery(ctx, opts.TuneEvery)
	}
	return s, nil
}

// tuneEvery runs Tune over every database at each period until ctx ends.
func (s *Store) tuneEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.Tune(ctx); err != nil && ctx.Err() == nil {
				s.logger.Warn("embedded store: tune", "err", err)
			} else if n > 0 {
				s.logger.Info("embedded store: indexes created", "count", n)
			}
		}
	}
}

// SQLiteFile is the file FerretDB keeps database db in; empty on PostgreSQL.
func (s *Store) SQLiteFile(db string) string {
	if s.sqliteDir == "" {
		return ""
	}
	return filepath.Join(s.sqliteDir, db+".sqlite")
}

// URI is the mongodb:// URI of the running server.
func (s *Store) URI() string { return s.uri }

// Stop closes the listener and the backend and waits for them, at most until ctx ends.
func (s *Store) Stop(ctx context.Context) error {
	s.cancel()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("embedded store: stop: %w", ctx.Err())
	}
}

// levelFilter drops records below a minimum level.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (l levelFilter) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.Handler.Enabled(ctx, level)
}

func (l levelFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFilter{l.Handler.WithAttrs(attrs), l.min}
}

func (l levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{l.Handler.WithGroup(name), l.min}
}

// withWarmPool returns pgURL with pool_min_conns set to 4, pgxpool's
// default maximum, unless the URL sets it. FerretDB checks every new
// PostgreSQL connection with a query it gives 2 s; a connection opened in
// the middle of a burst, on a loaded machine, could miss that and fail the
// command that needed it ("timeout: read tcp … i/o timeout", seen in CI).
// Opened when the pool starts, and again by its health check, the
// connections are ready before the burst.
func withWarmPool(pgURL string) (string, error) {
	u, err := url.Parse(pgURL)
	if err != nil {
		return "", fmt.Errorf("embedded store: PostgreSQL URL: %w", err)
	}
	q := u.Query()
	if q.Get("pool_min_conns") == "" {
		q.Set("pool_min_conns", "4")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
