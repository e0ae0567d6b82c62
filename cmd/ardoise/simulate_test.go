package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"ardoise/assessments/irt"
)

func TestRunSimulateJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	err := runSimulate([]string{"--bank", "B1", "--config", "C1", "--simulees", "200", "--seed", "3", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("runSimulate: %v (%s)", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out.String())
	}
	for _, k := range []string{"rmse", "bias", "r", "mean_length", "overlap", "conditional", "ns_per_selection_p99", "seconds"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
}

func TestRunSimulateCompareTable(t *testing.T) {
	var out, errOut bytes.Buffer
	err := runSimulate([]string{"--bank", "B2", "--simulees", "100", "--compare", "--rho", "0.8"}, &out, &errOut)
	if err != nil {
		t.Fatalf("runSimulate: %v", err)
	}
	for _, want := range []string{"C2", "pix-flash", "random", "competence_rmse", "conditional"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunSimulateCompareJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := runSimulate([]string{"--bank", "B2", "--config", "C3", "--simulees", "50", "--compare", "--json"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"C3", "pix-flash", "random"} {
		if _, ok := got[c]["rmse"]; !ok {
			t.Errorf("no rmse for %s", c)
		}
	}
}

func TestRunSimulateRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--bank", "B9"},
		{"--config", "C9", "--simulees", "10"},
		{"--simulees", "0"},
		{"--bank-a-mean", "NaN", "--simulees", "10"},
		{"--nope"},
		{"stray"},
	} {
		var out, errOut bytes.Buffer
		if err := runSimulate(args, &out, &errOut); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestRunCalibrate(t *testing.T) {
	var out, errOut bytes.Buffer
	err := runCalibrate([]string{"--simulate", "--examinees", "300", "--items", "15", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rmse_a", "rmse_b", "bias_a", "bias_b", "seconds"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	out.Reset()
	if err := runCalibrate([]string{"--simulate", "--examinees", "200", "--items", "30", "--design", "adaptive"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "adaptive design") || !strings.Contains(out.String(), "worst recovered") {
		t.Errorf("table:\n%s", out.String())
	}
	// Without --simulate it runs the weekly calibration on the stored
	// answers (none here): every challenge reported, none moved; --full
	// recalibrates every item.
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir())
	out.Reset()
	if err := runCalibrate(nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "challenges reported; 0 moved from pretest to scored") {
		t.Errorf("stored calibration: %v %q", err, out.String())
	}
	out.Reset()
	if err := runCalibrate([]string{"--full"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "0 answers from 0 tests") {
		t.Errorf("full calibration: %v %q", err, out.String())
	}
	for _, args := range [][]string{{"--simulate", "--design", "half"}, {"--simulate", "--examinees", "0"}} {
		if err := runCalibrate(args, &out, &errOut); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestRunSimulateCalibrateFirst(t *testing.T) {
	// B1 has one competence, which keeps the calibration small (ρ is then
	// 1: one competence says nothing about it).
	var out, errOut bytes.Buffer
	err := runSimulate([]string{"--bank", "B1", "--config", "C1", "--simulees", "30",
		"--calibrate-first", "150", "--calibration-length", "20", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("runSimulate: %v (%s)", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["calibrate_first"] != float64(150) || got["calibration_responses"] != float64(150*20) || got["engine_rho"] != float64(1) {
		t.Errorf("calibration not reported: %v", got)
	}
	var table bytes.Buffer
	r := &irt.SimulationResult{Config: "C3", CalibrateFirst: 2000, CalibrationResponses: 80000, EngineRho: 0.81,
		Conditional: make([]irt.ConditionalBand, 12)}
	if err := printSimulation(&table, []*irt.SimulationResult{r}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "calibrated first on 2000 simulees (80000 answers") || !strings.Contains(table.String(), "engine_rho") {
		t.Errorf("table:\n%s", table.String())
	}
	if err := runSimulate([]string{"--calibrate-first", "-5", "--simulees", "10"}, &out, &errOut); err == nil {
		t.Error("negative --calibrate-first accepted")
	}
}
