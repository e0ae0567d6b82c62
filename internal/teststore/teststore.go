// Package teststore is the store fixture of the tests: a fresh database,
// dropped when the test ends, on a real store — the embedded FerretDB over
// SQLite always, and FerretDB over PostgreSQL when ARDOISE_TEST_POSTGRES_URL
// is set. One server of each kind is started per test binary. Tests of a
// Store or of a domain that needs no queue use it alone; internal/testenv
// builds the whole application on it.
package teststore

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"ardoise/internal/database"
	"ardoise/internal/embedded"
	"ardoise/internal/keyring"
)

// Backend names a store.
type Backend string

// The backends.
const (
	SQLite   Backend = "sqlite"   // embedded FerretDB over SQLite
	Postgres Backend = "postgres" // embedded FerretDB over PostgreSQL
)

// Backends lists the backends this run can use: SQLite always, PostgreSQL
// when both ARDOISE_TEST_POSTGRES_URL and ARDOISE_TEST_REDIS_URL are set
// (the app fixture pairs it with the real Redis).
func Backends() []Backend {
	if os.Getenv("ARDOISE_TEST_POSTGRES_URL") != "" && os.Getenv("ARDOISE_TEST_REDIS_URL") != "" {
		return []Backend{SQLite, Postgres}
	}
	return []Backend{SQLite}
}

// Run runs fn as a subtest named for each backend; a backend this run
// cannot use is skipped with the reason.
func Run(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range []Backend{SQLite, Postgres} {
		t.Run(string(b), func(t *testing.T) {
			if b == Postgres && len(Backends()) == 1 {
				t.Skip("ARDOISE_TEST_POSTGRES_URL and ARDOISE_TEST_REDIS_URL are not set: skipping FerretDB over PostgreSQL with real Redis")
			}
			fn(t, b)
		})
	}
}

// ForEach runs fn on a fresh database of every backend, with indexes created.
func ForEach(t *testing.T, fn func(t *testing.T, db *database.DB), indexes ...database.Index) {
	t.Helper()
	Run(t, func(t *testing.T, b Backend) { fn(t, New(t, b, indexes...)) })
}

// New connects to a fresh database on backend b, creates indexes, and
// drops the database when t ends.
func New(t testing.TB, b Backend, indexes ...database.Index) *database.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := database.Connect(ctx, URI(t, b, FreshName()), "")
	if err != nil {
		t.Fatalf("teststore: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_ = db.Drop(ctx)
		_ = db.Close(ctx)
	})
	if err := db.EnsureIndexes(ctx, indexes); err != nil {
		t.Fatalf("teststore: indexes: %v", err)
	}
	Tune(t, b, db.Name())
	return db
}

// Tune makes, in database name of backend b, the indexes FerretDB's
// pushdown can use, as the app's embedded store and `ardoise store` do: tests
// run on the store as production tunes it.
func Tune(t testing.TB, b Backend, name string) {
	t.Helper()
	s := Server(t, b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.Tune(ctx, name); err != nil {
		t.Fatalf("teststore: tune: %v", err)
	}
}

// FreshName returns a database name no other test uses.
func FreshName() string {
	return "t" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(keyring.RandomToken(9)))
}

// URI is the address of database name on backend b's shared server.
func URI(t testing.TB, b Backend, name string) string {
	t.Helper()
	return strings.TrimSuffix(serverURI(t, b), "/") + "/" + name
}

// Server is backend b's shared embedded FerretDB, started on first use.
func Server(t testing.TB, b Backend) *embedded.Store {
	t.Helper()
	serverURI(t, b)
	if b == Postgres {
		return pgStore
	}
	return sqliteStore
}

// shared servers, one of each per test binary.
var (
	sqliteOnce, pgOnce   sync.Once
	sqliteStore, pgStore *embedded.Store
	sqliteErr, pgErr     error
)

func serverURI(t testing.TB, b Backend) string {
	t.Helper()
	switch b {
	case Postgres:
		pgOnce.Do(func() {
			pgStore, pgErr = embedded.StartStore(embedded.StoreOptions{PostgresURL: os.Getenv("ARDOISE_TEST_POSTGRES_URL"), Logger: Logger()})
		})
		if pgErr != nil {
			t.Fatalf("teststore: FerretDB over PostgreSQL: %v", pgErr)
		}
		return pgStore.URI()
	default:
		sqliteOnce.Do(func() {
			dir, err := os.MkdirTemp("", "ardoise-test-store-")
			if err != nil {
				sqliteErr = err
				return
			}
			sqliteStore, sqliteErr = embedded.StartStore(embedded.StoreOptions{SQLiteDir: dir, Logger: Logger()})
		})
		if sqliteErr != nil {
			t.Fatalf("teststore: FerretDB over SQLite: %v", sqliteErr)
		}
		return sqliteStore.URI()
	}
}

// Logger is the tests' logger: silent, or debug on stderr when
// ARDOISE_TEST_LOG is set.
func Logger() *slog.Logger {
	if os.Getenv("ARDOISE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
