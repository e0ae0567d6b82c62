// Command ardoise runs the Ardoise platform and its operator commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Paris comes with the binary (see internal/clock)

	"ardoise/internal/boot"
)

const usage = `Usage: ardoise <command> [flags]

Commands:
  all        web and worker in one process (what "make run" starts)
  serve      the web server alone
  worker     the background worker alone
  store      the embedded FerretDB alone, for several serve/worker processes
  seed       create collections, indexes and, with ARDOISE_DEMO, demo accounts
  user       create | list | set-role | suspend | reactivate accounts
  simulate   measure the adaptive test engine on simulated banks and people
  calibrate  estimate item parameters (--simulate to check recovery)
  content    check the referentials and the item bank (content check)
  module     check, import (and publish) or export a training module
  community  rerender: render forum posts again after a sanitizing policy change
  aggregates rebuild: recompute the dashboards' counters from the stored results
  certification replay ID: recompute a certification test; exit 0 when it matches
  keys       rotate: add a new signing key for the Open Badges credentials
  credential verify FILE [--jwks F|URL] [--status-url-override DIR]: check a VC-JWT; exit 0 when valid

Configuration comes from environment variables only: see README.md.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "simulate":
		err = runSimulate(rest, stdout, stderr)
	case "calibrate":
		err = runCalibrate(rest, stdout, stderr)
	case "content":
		err = runContent(rest, stdout, stderr)
	case "module":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = runModule(ctx, rest, stdout, stderr)
		stop()
	case "community":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = runCommunity(ctx, rest, stdout)
		stop()
	case "aggregates":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = runAggregates(ctx, rest, stdout)
		stop()
	case "certification":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = runCertification(ctx, rest, stdout)
		stop()
	case "keys":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = runKeys(ctx, rest, stdout)
		stop()
	case "credential":
		err = runCredential(rest, stdout)
	case "all", "serve", "worker", "store", "seed", "user":
		cfg, cerr := boot.LoadConfig(os.Getenv)
		if cerr != nil {
			fmt.Fprintln(stderr, cerr)
			return 2
		}
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		switch cmd {
		case "all", "serve", "worker":
			err = runServer(ctx, cmd, cfg, logger, stdout)
		case "store":
			err = runStore(ctx, rest, cfg, logger, stdout)
		case "seed":
			err = runSeed(ctx, cfg, logger, stdout)
		case "user":
			err = runUser(ctx, rest, cfg, logger, stdin, stdout)
		}
	default:
		fmt.Fprintf(stderr, "ardoise: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "ardoise:", err)
			return 2
		}
		fmt.Fprintln(stderr, "ardoise:", err)
		return 1
	}
	return 0
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }
