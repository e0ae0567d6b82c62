package main

import (
	"context"
	"fmt"
	"io"

	"ardoise/assessments"
)

const certificationUsage = `usage:
  ardoise certification replay ID   recompute a certification test's score and levels from what it
                                    recorded; exit 0 only when they match the stored ones bit for bit`

// errReplayMismatch is the error of a replay that does not give the stored
// result (exit code 1).
var errReplayMismatch = fmt.Errorf("the replay does not match the stored result")

// runCertification implements `ardoise certification replay ID`.
func runCertification(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "replay" || args[1] == "" {
		return &usageError{certificationUsage}
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	if _, err := sys.Assessments.CertificationTest(ctx, args[1]); err != nil {
		return err
	}
	rep, err := sys.Assessments.Replay(ctx, args[1])
	if err != nil {
		return err
	}
	printReplay(stdout, rep)
	if !rep.Match {
		return errReplayMismatch
	}
	return nil
}

// printReplay writes the stored and replayed results, then "identique" or
// the problems.
func printReplay(w io.Writer, rep *assessments.ReplayReport) {
	fmt.Fprintf(w, "certification %s\n", rep.TestID)
	for _, r := range []struct {
		name string
		res  *assessments.Result
	}{{"stored", rep.Stored}, {"replayed", rep.Replayed}} {
		if r.res == nil {
			fmt.Fprintf(w, "%-9s no result\n", r.name)
			continue
		}
		fmt.Fprintf(w, "%-9s score %d/1024, level %d, θ %v, SE %v\n", r.name, r.res.Score, r.res.Level, r.res.Theta, r.res.SE)
		for _, c := range r.res.Competences {
			fmt.Fprintf(w, "          %-6s level %d, θ %v, SE %v\n", c.ID, c.Level, c.Theta, c.SE)
		}
	}
	if rep.Match {
		fmt.Fprintln(w, "identique")
		return
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "problem:", p)
	}
}
