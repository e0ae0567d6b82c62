package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"ardoise/internal/boot"
	"ardoise/web"
	"ardoise/worker"
)

// shutdownBudget is the time allowed for an orderly stop after SIGINT/SIGTERM.
const shutdownBudget = 10 * time.Second

// runServer runs `all`, `serve` or `worker` until ctx is cancelled by a signal.
func runServer(ctx context.Context, mode string, cfg boot.Config, logger *slog.Logger, stdout io.Writer) error {
	started := time.Now()
	sys, err := boot.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if sys.Redis != nil && mode != "all" {
		logger.Warn("REDIS_URL is empty: this " + mode + " process has its own in-process queue, which no other process sees")
	}
	var app *web.App
	var w *worker.Worker
	var ln net.Listener
	serveErr := make(chan error, 1)
	defer func() {
		// Reverse order of start: stop taking requests, then let the worker
		// finish its tasks (handlers may still write to the store), then close
		// the queue and the store. One budget for it all.
		stopping := time.Now()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
		defer cancel()
		if app != nil {
			// Browsers keep connections alive: give the web half the budget,
			// then close what is left, so the worker and the store still stop cleanly.
			wctx, wcancel := context.WithTimeout(sctx, shutdownBudget/2)
			if err := app.Shutdown(wctx); err != nil {
				logger.Warn("web shutdown", "err", err)
			}
			wcancel()
		}
		if w != nil {
			w.Shutdown()
		}
		if err := sys.Close(sctx); err != nil {
			logger.Warn("close", "err", err)
		}
		logger.Info("stopped", "shutdown", time.Since(stopping).Round(time.Millisecond), "uptime", time.Since(started).Round(time.Second))
	}()
	if cfg.Demo && mode != "worker" {
		if err := printDemo(ctx, sys, stdout); err != nil {
			return err
		}
	}
	if mode == "all" || mode == "worker" {
		w = sys.Worker()
		if err := w.Start(); err != nil {
			return err
		}
	}
	if mode == "all" || mode == "serve" {
		if app, err = sys.Web(); err != nil {
			return err
		}
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return fmt.Errorf("listen on ARDOISE_ADDR=%s: %w", cfg.Addr, err)
		}
		go func() { serveErr <- app.Serve(ln) }()
		fmt.Fprintf(stdout, "Ardoise is ready at %s (listening on %s, ready in %s)\n",
			cfg.BaseURL, ln.Addr(), time.Since(started).Round(time.Millisecond))
	} else {
		fmt.Fprintf(stdout, "Ardoise worker is running (ready in %s)\n", time.Since(started).Round(time.Millisecond))
	}
	select {
	case <-ctx.Done():
		logger.Info("signal received, shutting down")
		return nil
	case err := <-serveErr:
		if err != nil && !errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("web server: %w", err)
		}
		return nil
	}
}

// printDemo seeds the demo accounts and prints the new ones once.
func printDemo(ctx context.Context, sys *boot.System, stdout io.Writer) error {
	created, err := sys.SeedDemo(ctx)
	if err != nil {
		return err
	}
	modules, err := sys.SeedModules(ctx)
	if err != nil {
		return err
	}
	if len(modules) > 0 {
		fmt.Fprintf(stdout, "Sample training modules published: %v\n", modules)
	}
	if len(created) == 0 {
		fmt.Fprintf(stdout, "Demo accounts: see %s\n", sys.DemoFile())
		return nil
	}
	fmt.Fprintf(stdout, "Demo accounts created (passwords shown once, also in %s):\n", sys.DemoFile())
	for _, a := range created {
		fmt.Fprintf(stdout, "  %-10s %-32s %s\n", a.Role, a.Email, a.Password)
	}
	return nil
}

// runSeed creates collections and indexes (Open does) and the demo accounts when enabled.
func runSeed(ctx context.Context, cfg boot.Config, logger *slog.Logger, stdout io.Writer) error {
	sys, err := boot.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	fmt.Fprintln(stdout, "Collections and indexes are in place.")
	if cfg.Demo {
		return printDemo(ctx, sys, stdout)
	}
	return nil
}
