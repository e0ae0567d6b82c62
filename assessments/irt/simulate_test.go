package irt

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func smallRun(t *testing.T, bank, config string, rho float64, seed uint64) *SimulationResult {
	t.Helper()
	spec, err := BankPreset(bank)
	if err != nil {
		t.Fatal(err)
	}
	// mustPreset's small Sympson–Hetter simulation keeps the suite fast.
	r, err := SimulateConfig(SimulationOptions{Bank: spec, Config: config, Simulees: 300, Rho: rho, Seed: seed}, mustPreset(t, config))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSimulationFiguresAreSane holds each configuration to bounds that
// random selection under the same content rules fails on the same bank
// and simulees (the random rows check that it does): accuracy an
// adaptive test must reach, not merely a plausible range. 300 simulees,
// so the bounds leave room for their sampling error (about ±0.015 on an
// RMSE near 0.3).
func TestSimulationFiguresAreSane(t *testing.T) {
	for _, tc := range []struct {
		bank, config string
		rho          float64
		// Bounds: global RMSE below, r above, mean length at most,
		// competence RMSE below (0: not checked).
		rmse, r, length, comp float64
		// fails: the configuration must miss the bounds (the random
		// baseline).
		fails bool
	}{
		{"B1", "C1", 1, 0.30, 0.95, 21, 0, false},
		{"B1", "random", 1, 0.30, 0.95, 21, 0, true},
		{"B2", "C2", 1, 0.31, 0.945, 22.5, 0, false},
		{"B2", "C3", 0.8, 0.40, 0.92, 32, 0.60, false},
		{"B2", "pix-flash", 0.8, 0.40, 0.92, 32, 0, false},
		{"B2", "random", 0.8, 0.40, 0.92, 32, 0.60, true},
	} {
		t.Run(tc.bank+"/"+tc.config, func(t *testing.T) {
			r := smallRun(t, tc.bank, tc.config, tc.rho, 1)
			misses := []string{}
			if !(r.RMSE < tc.rmse) {
				misses = append(misses, "rmse")
			}
			if !(r.R > tc.r) {
				misses = append(misses, "r")
			}
			if r.MeanLength > tc.length {
				misses = append(misses, "length")
			}
			if tc.comp > 0 && !(r.CompetenceRMSE < tc.comp) {
				misses = append(misses, "competence rmse")
			}
			if tc.fails && len(misses) < 2 {
				t.Errorf("random selection meets the bounds: rmse %.3f r %.3f length %.1f competence %.3f", r.RMSE, r.R, r.MeanLength, r.CompetenceRMSE)
			}
			if !tc.fails && len(misses) > 0 {
				t.Errorf("misses %v: rmse %.3f r %.3f length %.1f competence %.3f", misses, r.RMSE, r.R, r.MeanLength, r.CompetenceRMSE)
			}
			if math.Abs(r.Bias) > 0.1 || len(r.Conditional) != 12 || r.MaxExposure > 1 {
				t.Errorf("bias %.3f, %d bands, max exposure %.2f", r.Bias, len(r.Conditional), r.MaxExposure)
			}
			// Violations are counted only where content is balanced, and
			// there must be none.
			if r.ContentViolations != 0 {
				t.Errorf("%d content violations", r.ContentViolations)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("JSON: %v", err)
			}
		})
	}
}

// TestCalibrateFirst runs a small comparison on calibrated parameters:
// both configurations get the same calibration and its ρ, the answers
// still come from the true parameters, and the calibration is reported.
func TestCalibrateFirst(t *testing.T) {
	spec := BankSpec{Name: "small", Items: 96, Competences: 6, TubesPerCompetence: 4, AMean: 1.2, ASD: 0.25, BSD: 1}
	opts := SimulationOptions{Bank: spec, Simulees: 60, Rho: 0.8, Seed: 4, CalibrateFirst: 300, CalibrationLength: 24}
	rs, err := Compare(opts, []string{"random", "pix-flash"})
	if err != nil {
		t.Fatal(err)
	}
	rnd, pix := rs[0], rs[1] // random uses the engine's ρ for competences, pix-flash ignores it
	if rnd.CalibrateFirst != 300 || rnd.CalibrationResponses != 300*24 || rnd.EngineRho != pix.EngineRho ||
		rnd.CalibrationRMSEA != pix.CalibrationRMSEA {
		t.Errorf("calibration not shared or not reported: %+v / %+v", rnd, pix)
	}
	if !(rnd.EngineRho > 0.5 && rnd.EngineRho <= 1) || !(rnd.CalibrationRMSEB > 0 && rnd.CalibrationRMSEB < 0.8) {
		t.Errorf("calibrated rho %.3f, RMSE(b) %.3f", rnd.EngineRho, rnd.CalibrationRMSEB)
	}
	plain, err := Simulate(SimulationOptions{Bank: spec, Config: "random", Simulees: 60, Rho: 0.8, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if plain.CalibrateFirst != 0 || plain.EngineRho != DefaultRho || plain.RMSE == rnd.RMSE {
		t.Errorf("true parameters: calibrate_first %d, rho %v, rmse %v (calibrated %v)", plain.CalibrateFirst, plain.EngineRho, plain.RMSE, rnd.RMSE)
	}
	if _, err := Simulate(SimulationOptions{Bank: spec, Config: "random", Simulees: 10, Rho: 0.8, CalibrateFirst: -1}); err == nil {
		t.Error("negative calibration size accepted")
	}
}

func TestSimulationIsDeterministic(t *testing.T) {
	a := smallRun(t, "B2", "C2", 0.8, 7)
	b := smallRun(t, "B2", "C2", 0.8, 7)
	for _, r := range []*SimulationResult{a, b} {
		r.NsPerSelectionP50, r.NsPerSelectionP99, r.NsPerUpdateP50, r.Seconds, r.EngineSeconds = 0, 0, 0, 0, 0
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("same seed, different figures:\n%s\n%s", ja, jb)
	}
}

func TestSimulationJSONNames(t *testing.T) {
	r := smallRun(t, "B1", "C1", 1, 1)
	j, _ := json.Marshal(r)
	for _, name := range []string{"rmse", "bias", "r", "mean_length", "sd_length", "pct_max_length", "max_exposure",
		"unused_items_pct", "overlap", "content_violations", "competence_rmse", "competence_level_exact_pct",
		"competence_level_within1_pct", "ns_per_selection_p50", "ns_per_selection_p99", "ns_per_update_p50",
		"seconds", "conditional"} {
		if !strings.Contains(string(j), `"`+name+`":`) {
			t.Errorf("JSON lacks %q", name)
		}
	}
}

func TestSimulationRejectsOddOptions(t *testing.T) {
	spec, _ := BankPreset("B1")
	bad := []SimulationOptions{
		{Bank: spec, Config: "C1", Simulees: 0, Rho: 1},
		{Bank: spec, Config: "C7", Simulees: 10, Rho: 1},
		{Bank: spec, Config: "C1", Simulees: 10, Rho: math.NaN()},
		{Bank: BankSpec{Items: 10, Competences: 1, AMean: math.Inf(1)}, Config: "C1", Simulees: 10, Rho: 1},
	}
	for i, o := range bad {
		if _, err := Simulate(o); err == nil {
			t.Errorf("options %d accepted", i)
		}
	}
}

func TestSimuleesFollowRho(t *testing.T) {
	sims, err := GenerateSimulees(4000, 3, 0.8, 1)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]float64, len(sims)), make([]float64, len(sims))
	for i, s := range sims {
		x[i], y[i] = s.Theta, s.Competences[1]
	}
	if r := pearson(x, y); !near(r, 0.8, 0.03) {
		t.Errorf("corr(θ, θ_c) = %.3f, want 0.8", r)
	}
	one, _ := GenerateSimulees(10, 2, 1, 1)
	for _, s := range one {
		if s.Competences[0] != s.Theta || s.Competences[1] != s.Theta {
			t.Fatal("rho = 1 must give θ_c = θ")
		}
	}
}

func TestBankShape(t *testing.T) {
	items := mustBank(t, "B2", 1)
	perComp := map[string]int{}
	tubes := map[string]bool{}
	for _, it := range items {
		perComp[it.Competence]++
		tubes[it.Tube] = true
		if it.A < MinA {
			t.Fatalf("a = %v below the truncation", it.A)
		}
	}
	if len(items) != 1000 || len(perComp) != 16 || len(tubes) != 64 {
		t.Fatalf("%d items, %d competences, %d tubes", len(items), len(perComp), len(tubes))
	}
	for c, n := range perComp {
		if n != 62 && n != 63 {
			t.Errorf("competence %s has %d items", c, n)
		}
	}
}
