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
	r, err := Simulate(SimulationOptions{Bank: spec, Config: config, Simulees: 300, Rho: rho, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSimulationFiguresAreSane(t *testing.T) {
	for _, tc := range []struct{ bank, config string }{
		{"B1", "C1"}, {"B2", "C2"}, {"B2", "C3"}, {"B2", "pix-flash"}, {"B2", "random"},
	} {
		t.Run(tc.bank+"/"+tc.config, func(t *testing.T) {
			r := smallRun(t, tc.bank, tc.config, 1, 1)
			if r.RMSE <= 0 || r.RMSE > 0.5 || r.R < 0.85 || math.Abs(r.Bias) > 0.1 {
				t.Errorf("accuracy: rmse %.3f bias %.3f r %.3f", r.RMSE, r.Bias, r.R)
			}
			if r.MeanLength < 5 || r.MeanLength > 40 || r.MaxExposure > 1 || len(r.Conditional) != 12 {
				t.Errorf("length %.1f, max exposure %.2f, %d bands", r.MeanLength, r.MaxExposure, len(r.Conditional))
			}
			if tc.config != "pix-flash" && r.ContentViolations != 0 {
				t.Errorf("%d content violations", r.ContentViolations)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Errorf("JSON: %v", err)
			}
		})
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
