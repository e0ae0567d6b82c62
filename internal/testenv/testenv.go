// Package testenv is the application fixture of the tests: a real Ardoise
// on a fresh database of the store fixture (internal/teststore), its own
// queue names on a miniredis, and the app running on a random port with its
// worker. When ARDOISE_TEST_POSTGRES_URL and ARDOISE_TEST_REDIS_URL are set,
// ForEachBackend also runs the test on FerretDB over PostgreSQL and a real
// Redis. No mocks. Tests that need only a database use internal/teststore.
package testenv

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"ardoise/internal/boot"
	"ardoise/internal/embedded"
	"ardoise/internal/teststore"
	"ardoise/web"
	"ardoise/worker"
)

// Backend names a store and queue pair.
type Backend = teststore.Backend

// The backends.
const (
	SQLite   = teststore.SQLite   // embedded FerretDB over SQLite, miniredis
	Postgres = teststore.Postgres // embedded FerretDB over PostgreSQL, real Redis
)

// Env is one test's running Ardoise.
type Env struct {
	Backend Backend
	Sys     *boot.System
	App     *web.App
	Worker  *worker.Worker
	URL     string
	// Redis is the test's own miniredis when WithOwnRedis was given.
	Redis *embedded.Redis
}

type options struct {
	backend   Backend
	noWorker  bool
	ownRedis  bool
	noServer  bool
	configure func(*boot.Config)
}

// Option changes what New starts.
type Option func(*options)

// WithBackend picks the backend (default SQLite).
func WithBackend(b Backend) Option { return func(o *options) { o.backend = b } }

// WithoutWorker starts no worker; the test starts one with StartWorker.
func WithoutWorker() Option { return func(o *options) { o.noWorker = true } }

// WithoutServer starts no HTTP server.
func WithoutServer() Option { return func(o *options) { o.noServer = true } }

// WithOwnRedis gives the test its own miniredis, which it may restart.
func WithOwnRedis() Option { return func(o *options) { o.ownRedis = true } }

// WithConfig lets the test adjust the configuration.
func WithConfig(f func(*boot.Config)) Option { return func(o *options) { o.configure = f } }

// Backends lists the backends this run can use: SQLite always, PostgreSQL
// with real Redis when both ARDOISE_TEST_* variables are set.
func Backends() []Backend { return teststore.Backends() }

// ForEachBackend runs fn as a subtest on every available backend. Without
// the ARDOISE_TEST_* variables it says that PostgreSQL and Redis are skipped.
func ForEachBackend(t *testing.T, fn func(t *testing.T, env *Env), opts ...Option) {
	t.Helper()
	teststore.Run(t, func(t *testing.T, b Backend) {
		fn(t, New(t, append([]Option{WithBackend(b)}, opts...)...))
	})
}

// one miniredis per test binary, shared by the SQLite envs.
var (
	redisOnce   sync.Once
	sharedRedis *embedded.Redis
	redisErr    error
)

// New starts a fresh Ardoise for t and stops it when t ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	o := options{backend: SQLite}
	for _, f := range opts {
		f(&o)
	}
	env := &Env{Backend: o.backend}
	dbName := teststore.FreshName()
	uri := teststore.URI(t, o.backend, dbName)
	redisURL := ""
	switch {
	case o.ownRedis:
		r, err := embedded.StartRedis("")
		if err != nil {
			t.Fatalf("testenv: miniredis: %v", err)
		}
		env.Redis = r
		t.Cleanup(r.Stop)
		redisURL = r.URL()
	case o.backend == Postgres:
		redisURL = os.Getenv("ARDOISE_TEST_REDIS_URL")
	default:
		redisOnce.Do(func() { sharedRedis, redisErr = embedded.StartRedis("") })
		if redisErr != nil {
			t.Fatalf("testenv: miniredis: %v", redisErr)
		}
		redisURL = sharedRedis.URL()
	}
	dir := t.TempDir()
	cfg := boot.Config{
		Addr: "127.0.0.1:0", DataDir: dir, MongoURI: uri, RedisURL: redisURL, BaseURL: "http://127.0.0.1",
		SecretKeyFile: dir + "/secret.key", QueuePrefix: dbName + ":",
		// Tests read X-Store-Commands as a load tool on the operations network does.
		OpsNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}
	if o.configure != nil {
		o.configure(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sys, err := boot.Open(ctx, cfg, teststore.Logger())
	if err != nil {
		t.Fatalf("testenv: open: %v", err)
	}
	env.Sys = sys
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if env.App != nil {
			_ = env.App.Shutdown(ctx)
		}
		if env.Worker != nil {
			env.Worker.Shutdown()
		}
		// The community writes its buffered views on closing: before the
		// drop, or they would create the collection again.
		_ = env.Sys.Community.Close(ctx)
		_ = env.Sys.DB.Drop(ctx)
		_ = env.Sys.Close(ctx)
	})
	teststore.Tune(t, o.backend, dbName)
	if !o.noWorker {
		env.StartWorker(t)
	}
	if !o.noServer {
		app, err := sys.Web()
		if err != nil {
			t.Fatalf("testenv: web: %v", err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("testenv: listen: %v", err)
		}
		env.App = app
		env.URL = "http://" + ln.Addr().String()
		go func() { _ = app.Serve(ln) }()
	}
	return env
}

// StartWorker starts the worker with a short sweep period.
func (e *Env) StartWorker(t testing.TB) {
	t.Helper()
	w := e.Sys.Worker()
	if err := w.Start(); err != nil {
		t.Fatalf("testenv: worker: %v", err)
	}
	e.Worker = w
}

// Eventually polls cond every 50 ms until it is true or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("testenv: %s did not happen within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Client returns an HTTP client that keeps cookies and does not follow redirects.
func (e *Env) Client() *http.Client {
	jar := newJar()
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Ctx is a context for store calls in tests. Its deadline only stops a
// hung test early: a long scenario (a certification session's whole day,
// three candidates' tests, finalization, jury, publication) took 39 s
// under -race on the loaded 2-core CI machine, so it is generous.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// String describes the env in failures.
func (e *Env) String() string { return fmt.Sprintf("ardoise on %s at %s", e.Backend, e.URL) }

// Restarted opens a second System on the same store, queue and key file, as
// the process would after a restart.
func (e *Env) Restarted(t testing.TB) *boot.System {
	t.Helper()
	sys, err := boot.Open(Ctx(t), e.Sys.Cfg, teststore.Logger())
	if err != nil {
		t.Fatalf("testenv: reopen: %v", err)
	}
	t.Cleanup(func() { _ = sys.Close(context.Background()) })
	return sys
}

// Restart stops the app, the worker and the system, then starts them again
// on the same store, queue and key file, as a process restart would. The
// app listens on a new port: Env.URL changes.
func (e *Env) Restart(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if e.App != nil {
		_ = e.App.Shutdown(ctx) // a browser's kept-alive connections may hold it to the deadline
	}
	if e.Worker != nil {
		e.Worker.Shutdown()
	}
	closeCtx, cancelClose := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelClose()
	_ = e.Sys.Close(closeCtx)
	sys, err := boot.Open(Ctx(t), e.Sys.Cfg, teststore.Logger())
	if err != nil {
		t.Fatalf("testenv: restart: %v", err)
	}
	e.Sys = sys
	e.StartWorker(t)
	app, err := sys.Web()
	if err != nil {
		t.Fatalf("testenv: web: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.App, e.URL = app, "http://"+ln.Addr().String()
	go func() { _ = app.Serve(ln) }()
}

// BenchBackend is the backend benchmarks run on: the embedded SQLite, or
// FerretDB over PostgreSQL when ARDOISE_BENCH_BACKEND=postgres (with the
// ARDOISE_TEST_* variables set).
func BenchBackend() Backend {
	if os.Getenv("ARDOISE_BENCH_BACKEND") == "postgres" {
		return Postgres
	}
	return SQLite
}
