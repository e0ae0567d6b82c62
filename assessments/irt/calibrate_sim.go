package irt

import (
	"fmt"
	"math"
	"time"
)

// CalibrationSimOptions sets up a parameter-recovery study.
type CalibrationSimOptions struct {
	// Examinees answer a bank of Items items drawn like the simulation's
	// banks (a ~ N(1.2, 0.25) truncated at 0.3, b ~ N(0, 1)).
	Examinees, Items int
	// Design is "complete" (everyone answers everything) or "adaptive"
	// (everyone takes a C1-like adaptive test of AdaptiveLength items,
	// randomesque among the 5 best so that more items get answers).
	Design string
	// AdaptiveLength is the adaptive test length; 0 means half the bank,
	// at most 30.
	AdaptiveLength int
	// Seed fixes the bank, the people and their answers.
	Seed uint64
	// Calibration overrides DefaultCalibrationOptions when its grid is set.
	Calibration CalibrationOptions
}

// CalibrationRecovery compares the calibrated parameters with the true
// ones. JSON names are the ones the issue fixes.
type CalibrationRecovery struct {
	Design    string `json:"design"`
	Examinees int    `json:"examinees"`
	Items     int    `json:"items"`
	Responses int    `json:"responses"`
	// ItemsEstimated counts items with at least one answer; the figures
	// are over those.
	ItemsEstimated int     `json:"items_estimated"`
	RMSEA          float64 `json:"rmse_a"`
	RMSEB          float64 `json:"rmse_b"`
	BiasA          float64 `json:"bias_a"`
	BiasB          float64 `json:"bias_b"`
	// CoverageAPct and CoverageBPct are the percentages of items whose
	// true value lies within 1.96 SE of the estimate: about 95 when the
	// standard errors are right.
	CoverageAPct float64 `json:"coverage_a_pct"`
	CoverageBPct float64 `json:"coverage_b_pct"`
	MeanSEA      float64 `json:"mean_se_a"`
	MeanSEB      float64 `json:"mean_se_b"`
	Iterations   int     `json:"iterations"`
	Converged    bool    `json:"converged"`
	Seconds      float64 `json:"seconds"`
	// True and Estimated hold the item parameters, for tables.
	True      []Item            `json:"-"`
	Estimated []ItemCalibration `json:"-"`
}

// SimulateCalibration generates a bank and answers to it, calibrates, and
// reports how well the parameters are recovered.
func SimulateCalibration(opts CalibrationSimOptions) (*CalibrationRecovery, error) {
	start := time.Now()
	if opts.Examinees < 1 || opts.Examinees > 10_000_000 || opts.Items < 1 {
		return nil, fmt.Errorf("irt: calibration study of %d examinees on %d items: %w", opts.Examinees, opts.Items, ErrInvalidInput)
	}
	spec := BankSpec{Name: "calibration", Items: opts.Items, Competences: 1, AMean: 1.2, ASD: 0.25, BMean: 0, BSD: 1}
	items, err := GenerateBank(spec, mixSeed(opts.Seed, streamCalibration))
	if err != nil {
		return nil, err
	}
	sims, err := GenerateSimulees(opts.Examinees, 1, 1, mixSeed(opts.Seed, streamCalibration))
	if err != nil {
		return nil, err
	}
	resp := newRand(mixSeed(opts.Seed, streamCalibration, streamResponses))
	var obs []Observation
	switch opts.Design {
	case "complete", "":
		obs = make([]Observation, 0, opts.Examinees*opts.Items)
		for p, s := range sims {
			for i, it := range items {
				obs = append(obs, Observation{Person: p, Item: i, Correct: resp.Float64() < Probability(it.A, it.B, s.Theta)})
			}
		}
	case "adaptive":
		obs, err = adaptiveObservations(items, sims, opts)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("irt: calibration design %q (want complete or adaptive): %w", opts.Design, ErrInvalidInput)
	}
	copts := opts.Calibration
	if copts.Grid.Points == 0 {
		copts = DefaultCalibrationOptions()
	}
	cal, err := Calibrate(len(items), obs, copts)
	if err != nil {
		return nil, err
	}
	rec := &CalibrationRecovery{
		Design: opts.Design, Examinees: opts.Examinees, Items: opts.Items, Responses: len(obs),
		Iterations: cal.Iterations, Converged: cal.Converged,
		True: items, Estimated: cal.Items,
	}
	if rec.Design == "" {
		rec.Design = "complete"
	}
	var sa, sb, ba, bb, ca, cb, sea, seb float64
	for i, est := range cal.Items {
		if est.N == 0 {
			continue
		}
		rec.ItemsEstimated++
		da, db := est.A-items[i].A, est.B-items[i].B
		sa += da * da
		sb += db * db
		ba += da
		bb += db
		sea += est.SEA
		seb += est.SEB
		if math.Abs(da) <= 1.96*est.SEA {
			ca++
		}
		if math.Abs(db) <= 1.96*est.SEB {
			cb++
		}
	}
	if n := float64(rec.ItemsEstimated); n > 0 {
		rec.RMSEA, rec.RMSEB = math.Sqrt(sa/n), math.Sqrt(sb/n)
		rec.BiasA, rec.BiasB = ba/n, bb/n
		rec.CoverageAPct, rec.CoverageBPct = 100*ca/n, 100*cb/n
		rec.MeanSEA, rec.MeanSEB = sea/n, seb/n
	}
	rec.Seconds = time.Since(start).Seconds()
	return rec, nil
}

// adaptiveObservations runs an adaptive test per examinee on the true
// parameters and records the answers: the sparse, ability-dependent design
// that live calibration data has.
func adaptiveObservations(items []Item, sims []Simulee, opts CalibrationSimOptions) ([]Observation, error) {
	cfg, _ := Preset("C1")
	cfg.Name = "calibration-adaptive"
	cfg.TopK = 5
	cfg.SETarget = 0
	length := opts.AdaptiveLength
	if length <= 0 {
		length = min(30, max(1, len(items)/2))
	}
	cfg.MinLength, cfg.MaxLength = length, length
	eng, err := NewEngine(items, cfg)
	if err != nil {
		return nil, err
	}
	resp := newRand(mixSeed(opts.Seed, streamCalibration, streamTests))
	obs := make([]Observation, 0, len(sims)*length)
	for p, s := range sims {
		t, err := eng.NewTest(TestOptions{Seed: mixSeed(opts.Seed, streamTests, uint64(p))})
		if err != nil {
			return nil, err
		}
		for {
			i, ok := t.Next()
			if !ok {
				break
			}
			correct := resp.Float64() < Probability(items[i].A, items[i].B, s.Theta)
			if err := t.Answer(i, correct); err != nil {
				return nil, err
			}
			obs = append(obs, Observation{Person: p, Item: i, Correct: correct})
		}
	}
	return obs, nil
}
