package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"ardoise/internal/boot"
)

// openForCommand opens the system for an operator command (user, module,
// calibrate): quiet logs, and a clear word when a server holds the
// embedded store.
func openForCommand(ctx context.Context, cfg *boot.Config) (*boot.System, error) {
	if cfg == nil {
		c, err := boot.LoadConfig(os.Getenv)
		if err != nil {
			return nil, err
		}
		cfg = &c
	}
	sys, err := boot.Open(ctx, *cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if errors.Is(err, boot.ErrRunning) {
		return nil, fmt.Errorf("%w\n(on the embedded store, operator commands work while the server is stopped)", err)
	}
	return sys, err
}
