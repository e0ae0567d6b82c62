package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"ardoise/assessments/irt"
)

// runSimulate implements `ardoise simulate`: it generates a seeded bank and
// simulees, runs one configuration (or, with --compare, the configuration
// beside pix-flash and random) and prints the figures of
// shared/simulation.md as a table, or as one JSON object with --json.
func runSimulate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bank := fs.String("bank", "B2", "item bank: B1 (300 items), B2 (1000 items, 16 competences) or B3 (3000 items)")
	aMean := fs.Float64("bank-a-mean", 1.2, "mean of the discriminations (truncated below at 0.3)")
	aSD := fs.Float64("bank-a-sd", 0.25, "standard deviation of the discriminations")
	bMean := fs.Float64("bank-b-mean", 0, "mean of the difficulties")
	bSD := fs.Float64("bank-b-sd", 1, "standard deviation of the difficulties")
	config := fs.String("config", "C2", "configuration: "+strings.Join(irt.PresetNames(), ", "))
	simulees := fs.Int("simulees", 10000, "number of simulated people")
	rho := fs.Float64("rho", 1, "correlation of the competence abilities with the general ability (1: unidimensional)")
	seed := fs.Uint64("seed", 1, "seed of the bank, the simulees, their answers and the tests")
	asJSON := fs.Bool("json", false, "print one JSON object on stdout instead of a table")
	compare := fs.Bool("compare", false, "run the configuration, pix-flash and random on the same bank and simulees, side by side")
	calibrateFirst := fs.Int("calibrate-first", 0, "first calibrate the item parameters and rho on this many other simulees (40 items each, a fixed linked design seeded by --seed), then test with the calibrated values; 0 uses the true parameters")
	calibrationLength := fs.Int("calibration-length", irt.DefaultCalibrationLength, "items per calibration simulee, with --calibrate-first")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("simulate: unexpected arguments %q", fs.Args())
	}
	spec, err := irt.BankPreset(*bank)
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	spec.AMean, spec.ASD, spec.BMean, spec.BSD = *aMean, *aSD, *bMean, *bSD
	bar := newProgressBar(stderr)
	opts := irt.SimulationOptions{
		Bank: spec, Config: *config, Simulees: *simulees, Rho: *rho, Seed: *seed,
		CalibrateFirst: *calibrateFirst, CalibrationLength: *calibrationLength,
		Progress: bar.update,
	}
	configs := []string{*config}
	if *compare {
		for _, c := range []string{"pix-flash", "random"} {
			if c != *config {
				configs = append(configs, c)
			}
		}
	}
	results, err := irt.Compare(opts, configs)
	bar.finish()
	if err != nil {
		return fmt.Errorf("simulate: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if !*compare {
			return enc.Encode(results[0])
		}
		byName := make(map[string]*irt.SimulationResult, len(results))
		for _, r := range results {
			byName[r.Config] = r
		}
		return enc.Encode(byName)
	}
	return printSimulation(stdout, results)
}

// printSimulation prints the figures, one column per configuration, then
// the conditional RMSE and bias per θ band.
func printSimulation(w io.Writer, results []*irt.SimulationResult) error {
	r0 := results[0]
	fmt.Fprintf(w, "bank %s: %d items, %d competences, a~N(%g, %g) b~N(%g, %g); %d simulees, rho %g, seed %d\n",
		r0.Bank.Name, r0.Bank.Items, r0.Bank.Competences, r0.Bank.AMean, r0.Bank.ASD, r0.Bank.BMean, r0.Bank.BSD,
		r0.Simulees, r0.Rho, r0.Seed)
	if r0.CalibrateFirst > 0 {
		fmt.Fprintf(w, "calibrated first on %d simulees (%d answers, %.1f s): rho %.3f (SE %.3f), RMSE a %.3f, b %.3f\n",
			r0.CalibrateFirst, r0.CalibrationResponses, r0.CalibrationSeconds, r0.EngineRho, r0.CalibratedRhoSE,
			r0.CalibrationRMSEA, r0.CalibrationRMSEB)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, value func(*irt.SimulationResult) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, r := range results {
			fmt.Fprintf(tw, "%s\t", value(r))
		}
		fmt.Fprintln(tw)
	}
	f := func(format string, get func(*irt.SimulationResult) float64) func(*irt.SimulationResult) string {
		return func(r *irt.SimulationResult) string { return fmt.Sprintf(format, get(r)) }
	}
	row("figure", func(r *irt.SimulationResult) string { return r.Config })
	row("rmse", f("%.4f", func(r *irt.SimulationResult) float64 { return r.RMSE }))
	row("bias", f("%+.4f", func(r *irt.SimulationResult) float64 { return r.Bias }))
	row("r", f("%.4f", func(r *irt.SimulationResult) float64 { return r.R }))
	row("mean_length", f("%.2f", func(r *irt.SimulationResult) float64 { return r.MeanLength }))
	row("sd_length", f("%.2f", func(r *irt.SimulationResult) float64 { return r.SDLength }))
	row("pct_max_length", f("%.2f", func(r *irt.SimulationResult) float64 { return r.PctMaxLength }))
	row("max_exposure", f("%.4f", func(r *irt.SimulationResult) float64 { return r.MaxExposure }))
	row("unused_items_pct", f("%.1f", func(r *irt.SimulationResult) float64 { return r.UnusedItemsPct }))
	row("overlap", f("%.4f", func(r *irt.SimulationResult) float64 { return r.Overlap }))
	row("content_violations", func(r *irt.SimulationResult) string { return fmt.Sprint(r.ContentViolations) })
	row("engine_rho", f("%.3f", func(r *irt.SimulationResult) float64 { return r.EngineRho }))
	row("competence_rmse", f("%.4f", func(r *irt.SimulationResult) float64 { return r.CompetenceRMSE }))
	row("competence_level_exact_pct", f("%.2f", func(r *irt.SimulationResult) float64 { return r.CompetenceLevelExactPct }))
	row("competence_level_within1_pct", f("%.2f", func(r *irt.SimulationResult) float64 { return r.CompetenceLevelWithin1Pct }))
	row("ns_per_selection_p50", f("%.0f", func(r *irt.SimulationResult) float64 { return r.NsPerSelectionP50 }))
	row("ns_per_selection_p99", f("%.0f", func(r *irt.SimulationResult) float64 { return r.NsPerSelectionP99 }))
	row("ns_per_update_p50", f("%.0f", func(r *irt.SimulationResult) float64 { return r.NsPerUpdateP50 }))
	row("seconds (1 goroutine)", f("%.2f", func(r *irt.SimulationResult) float64 { return r.Seconds }))
	row("  of which engine build", f("%.2f", func(r *irt.SimulationResult) float64 { return r.EngineSeconds }))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nconditional RMSE / bias by true θ band")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "θ band\tn\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s rmse\t%s bias\t", r.Config, r.Config)
	}
	fmt.Fprintln(tw)
	for i, b := range r0.Conditional {
		fmt.Fprintf(tw, "[%+.1f, %+.1f)\t%d\t", b.From, b.To, b.N)
		for _, r := range results {
			c := r.Conditional[i]
			fmt.Fprintf(tw, "%.3f\t%+.3f\t", c.RMSE, c.Bias)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// progressBar draws on stderr, but only once the work has taken more than
// a second: quick runs stay quiet, and redraws are limited to ten a second
// so the bar does not slow the run it measures.
type progressBar struct {
	w           io.Writer
	start, last time.Time
	drawn       bool
	percent     int
	total       int
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, start: time.Now(), percent: -1}
}

func (p *progressBar) update(done, total int) {
	now := time.Now()
	if total <= 0 || now.Sub(p.start) < time.Second || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	pct := done * 100 / total
	if pct == p.percent {
		return
	}
	p.last, p.percent, p.drawn, p.total = now, pct, true, total
	p.draw(done, total)
}

func (p *progressBar) draw(done, total int) {
	const width = 40
	pct := done * 100 / total
	filled := pct * width / 100
	fmt.Fprintf(p.w, "\r[%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, done, total)
}

// finish completes the bar and ends its line, if one was drawn.
func (p *progressBar) finish() {
	if p.drawn {
		p.draw(p.total, p.total)
		fmt.Fprintln(p.w)
	}
}
