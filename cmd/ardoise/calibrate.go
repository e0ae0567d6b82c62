package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"text/tabwriter"

	"ardoise/assessments"
	"ardoise/assessments/irt"
)

// calibrateStored runs the weekly calibration on the stored answers, as the
// worker does (pretest challenges with enough answers become scored; the
// report the admin page shows is rewritten), or with full the marginal
// maximum likelihood recalibration of every item, which moves the launch
// bank's parameters too.
func calibrateStored(stdout io.Writer, asJSON, full bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	if !full {
		rep, err := sys.Assessments.CalibratePretest(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(stdout).Encode(rep)
		}
		fmt.Fprintf(stdout, "%d challenges reported; %d moved from pretest to scored %v; parameters %s\n",
			len(rep.Items), len(rep.Calibrated), rep.Calibrated, rep.ParamsVersion)
		return nil
	}
	rep, err := sys.Assessments.Calibrate(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "%d answers from %d tests on %d items; %d items with at least %d answers calibrated",
		rep.Answers, rep.Tests, rep.Items, rep.Calibrated, assessments.MinCalibrationAnswers)
	if rep.Version != "" {
		fmt.Fprintf(stdout, " (parameters %s, converged %t after %d iterations)", rep.Version, rep.Converged, rep.Iterations)
	}
	fmt.Fprintln(stdout)
	return nil
}

// runCalibrate implements `ardoise calibrate`: without --simulate it runs
// the weekly calibration on the stored answers, or with --full recalibrates
// every item (calibrateStored); with --simulate it generates a
// bank and answers to it (everyone answering everything, or adaptive
// tests), calibrates the 2PL parameters by marginal maximum likelihood and
// prints how well they are recovered, as a table or, with --json, as one
// JSON object.
func runCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	simulate := fs.Bool("simulate", false, "calibrate simulated answers to a known bank and report the recovery")
	examinees := fs.Int("examinees", 1000, "number of simulated examinees")
	items := fs.Int("items", 40, "number of items in the simulated bank")
	design := fs.String("design", "complete", "complete (everyone answers every item) or adaptive (one adaptive test each)")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout instead of a table")
	seed := fs.Uint64("seed", 1, "seed of the bank, the examinees and their answers")
	full := fs.Bool("full", false, "recalibrate every item from the stored answers, the launch bank too (a new scale: use with a new scoring version)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("calibrate: unexpected arguments %q", fs.Args())
	}
	if !*simulate {
		return calibrateStored(stdout, *asJSON, *full)
	}
	if *design != "complete" && *design != "adaptive" {
		return fmt.Errorf("calibrate: --design %q (want complete or adaptive)", *design)
	}
	rec, err := irt.SimulateCalibration(irt.CalibrationSimOptions{
		Examinees: *examinees, Items: *items, Design: *design, Seed: *seed,
	})
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rec)
	}
	return printCalibration(stdout, rec)
}

// printCalibration prints the recovery summary and the items worst
// recovered, which is where a reader looks first.
func printCalibration(w io.Writer, rec *irt.CalibrationRecovery) error {
	fmt.Fprintf(w, "%s design: %d examinees, %d items, %d answers; EM %d iterations (converged: %v), %.2f s\n\n",
		rec.Design, rec.Examinees, rec.Items, rec.Responses, rec.Iterations, rec.Converged, rec.Seconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\ta\tb\t\n")
	fmt.Fprintf(tw, "rmse\t%.4f\t%.4f\t\n", rec.RMSEA, rec.RMSEB)
	fmt.Fprintf(tw, "bias\t%+.4f\t%+.4f\t\n", rec.BiasA, rec.BiasB)
	fmt.Fprintf(tw, "mean SE\t%.4f\t%.4f\t\n", rec.MeanSEA, rec.MeanSEB)
	fmt.Fprintf(tw, "within 1.96 SE (%%)\t%.1f\t%.1f\t\n", rec.CoverageAPct, rec.CoverageBPct)
	fmt.Fprintf(tw, "items estimated\t%d\t\t\n", rec.ItemsEstimated)
	if err := tw.Flush(); err != nil {
		return err
	}
	order := make([]int, len(rec.True))
	for i := range order {
		order[i] = i
	}
	worst := func(i int) float64 {
		e := rec.Estimated[i]
		if e.N == 0 {
			return -1
		}
		return math.Max(math.Abs(e.A-rec.True[i].A), math.Abs(e.B-rec.True[i].B))
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch wx, wy := worst(x), worst(y); {
		case wx > wy:
			return -1
		case wx < wy:
			return 1
		}
		return 0
	})
	fmt.Fprintln(w, "\nworst recovered items")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "item\tn\ttrue a\test. a\tSE a\ttrue b\test. b\tSE b\t\n")
	for _, i := range order[:min(5, len(order))] {
		t, e := rec.True[i], rec.Estimated[i]
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%+.3f\t%+.3f\t%.3f\t\n", t.ID, e.N, t.A, e.A, e.SEA, t.B, e.B, e.SEB)
	}
	return tw.Flush()
}
