package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"ardoise/internal/boot"
	"ardoise/internal/embedded"
)

// runStore serves the embedded FerretDB alone, so several serve and worker
// processes share one store server (FerretDB 1.24 keeps collection metadata
// in memory: two processes must not each embed it over the same data).
func runStore(ctx context.Context, args []string, cfg boot.Config, logger *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", cfg.StoreAddr, "address to listen on")
	if err := fs.Parse(args); err != nil {
		return &usageError{"store: " + err.Error()}
	}
	if cfg.MongoURI != "" {
		return &usageError{"store: MONGODB_URI is set; `ardoise store` serves the embedded store, unset it"}
	}
	s, err := embedded.StartStore(embedded.StoreOptions{
		SQLiteDir: filepath.Join(cfg.DataDir, "store"), PostgresURL: cfg.PostgresURL, Addr: *addr, Logger: logger,
		TuneEvery: time.Minute, // the apps' databases get their indexes within a minute of being made
	})
	if err != nil {
		return err
	}
	if n, err := s.Tune(ctx); err != nil {
		logger.Warn("store: tune", "err", err)
	} else if n > 0 {
		logger.Info("store: indexes created", "count", n)
	}
	backend := "SQLite in " + filepath.Join(cfg.DataDir, "store")
	if cfg.PostgresURL != "" {
		backend = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "Store (FerretDB over %s) listening: MONGODB_URI=%sardoise\n", backend, s.URI())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Stop(sctx)
}
