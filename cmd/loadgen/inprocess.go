package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ardoise/internal/boot"
	"ardoise/internal/embedded"
)

// startStore starts the embedded FerretDB over backend: PostgreSQL (the
// database of ARDOISE_POSTGRES_URL) or SQLite files in a temporary
// directory. stop stops it and removes those files.
func startStore(backend string, logger *slog.Logger) (store *embedded.Store, stop func(), err error) {
	opts := embedded.StoreOptions{Logger: logger}
	cleanup := func() {}
	switch backend {
	case "postgres":
		if opts.PostgresURL = os.Getenv("ARDOISE_POSTGRES_URL"); opts.PostgresURL == "" {
			return nil, nil, fmt.Errorf("--backend postgres needs ARDOISE_POSTGRES_URL")
		}
	case "sqlite":
		dir, err := os.MkdirTemp("", "ardoise-loadgen-")
		if err != nil {
			return nil, nil, err
		}
		cleanup = func() { _ = os.RemoveAll(dir) }
		opts.SQLiteDir = filepath.Join(dir, "store")
	default:
		return nil, nil, fmt.Errorf("--backend must be sqlite or postgres")
	}
	s, err := embedded.StartStore(opts)
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	return s, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
		cleanup()
	}, nil
}

// openSystem opens Ardoise (services, no web, no worker) on a fresh
// database dbName of store, tuned as Ardoise runs; Redis is REDIS_URL when
// set, else an in-process miniredis. The load tool reads X-Store-Commands
// as an operator does. closeSys drops the database.
func openSystem(ctx context.Context, store *embedded.Store, dbName string, logger *slog.Logger) (sys *boot.System, closeSys func(), err error) {
	dir, err := os.MkdirTemp("", "ardoise-loadgen-app-")
	if err != nil {
		return nil, nil, err
	}
	cfg := boot.Config{
		Addr: "127.0.0.1:0", DataDir: dir, MongoURI: strings.TrimSuffix(store.URI(), "/") + "/" + dbName,
		RedisURL: os.Getenv("REDIS_URL"), BaseURL: "http://127.0.0.1", SecretKeyFile: filepath.Join(dir, "secret.key"),
		QueuePrefix: dbName + ":", RegistrationsPerIP: 1000,
		OpsNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}
	openCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sys, err = boot.Open(openCtx, cfg, logger)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	closeSys = func() {
		closeScaleSystem(sys, dbName)
		_ = os.RemoveAll(dir)
	}
	if _, err := store.Tune(ctx, dbName); err != nil {
		closeSys()
		return nil, nil, fmt.Errorf("tune: %w", err)
	}
	return sys, closeSys, nil
}

// serveWeb serves sys's web app on a free loopback port and returns its
// base URL and how to stop it.
func serveWeb(sys *boot.System) (url string, stop func(), err error) {
	app, err := sys.Web()
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	}, nil
}
