package main

import (
	"context"
	"fmt"
	"io"
)

const aggregatesUsage = `usage:
  ardoise aggregates rebuild   recompute the campaigns' counters from their participations, the territory
                               counters from the stored results, then the snapshots
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
	// other: the campaigns' counters from their participations, then the
	// territory counters from the finished tests.
	n, err := sys.Campaigns.Rebuild(ctx)
	if err != nil {
		return fmt.Errorf("campaign counters: %w", err)
	}
	fmt.Fprintf(stdout, "%d campaigns' counters and shared pages rebuilt from their participations\n", n)
	if err := sys.Territories.Rebuild(ctx); err != nil {
		return fmt.Errorf("territory counters: %w", err)
	}
	fmt.Fprintln(stdout, "territory counters rebuilt from the finished tests; snapshots rewritten")
	return nil
}
