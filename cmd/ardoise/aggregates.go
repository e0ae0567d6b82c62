package main

import (
	"context"
	"fmt"
	"io"
)

const aggregatesUsage = `usage:
  ardoise aggregates rebuild   recompute the territory counters from the stored results, then the snapshots
                               (run it with the worker stopped)`

// runAggregates implements `ardoise aggregates rebuild`: every incremental
// aggregate recomputed from the results it counts, then the dashboards'
// snapshots rewritten.
func runAggregates(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "rebuild" {
		return &usageError{aggregatesUsage}
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	// Each kind of aggregate rebuilds from its own results, one after the
	// other; the campaigns' counters (shared participations) go here too.
	if err := sys.Territories.Rebuild(ctx); err != nil {
		return fmt.Errorf("territory counters: %w", err)
	}
	fmt.Fprintln(stdout, "territory counters rebuilt from the finished tests; snapshots rewritten")
	return nil
}
