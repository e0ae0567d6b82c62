package irt

import (
	"math"
	"testing"
)

func TestCalibrationRecoversCompleteDesign(t *testing.T) {
	rec, err := SimulateCalibration(CalibrationSimOptions{Examinees: 1000, Items: 40, Design: "complete", Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Converged || rec.RMSEA > 0.15 || rec.RMSEB > 0.15 {
		t.Errorf("recovery: rmse a %.3f b %.3f, converged %v", rec.RMSEA, rec.RMSEB, rec.Converged)
	}
	// Standard errors that mean something: most true values within 1.96 SE.
	if rec.CoverageAPct < 85 || rec.CoverageBPct < 85 {
		t.Errorf("coverage a %.1f %%, b %.1f %%", rec.CoverageAPct, rec.CoverageBPct)
	}
}

func TestCalibrationAdaptiveDesignIsSparse(t *testing.T) {
	rec, err := SimulateCalibration(CalibrationSimOptions{Examinees: 400, Items: 60, Design: "adaptive", Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Responses != 400*30 {
		t.Errorf("%d responses, want %d", rec.Responses, 400*30)
	}
	// Items answered a handful of times stay near their prior with a
	// large SE; the well-answered ones must be recovered, and the SEs
	// must cover the truth for all.
	var se float64
	n := 0
	for i, est := range rec.Estimated {
		if est.N >= 100 {
			d := est.B - rec.True[i].B
			se += d * d
			n++
		}
	}
	if rmse := math.Sqrt(se / float64(n)); n < 20 || rmse > 0.3 {
		t.Errorf("%d items with ≥100 answers, RMSE(b) %.3f", n, rmse)
	}
	if rec.CoverageBPct < 85 || rec.CoverageAPct < 85 {
		t.Errorf("coverage a %.1f %%, b %.1f %%", rec.CoverageAPct, rec.CoverageBPct)
	}
}

func TestCalibrateKeepsUnansweredAndPerfectItemsFinite(t *testing.T) {
	// Item 0: everyone right; item 1: everyone wrong; item 2: no answer.
	var obs []Observation
	for p := range 50 {
		obs = append(obs, Observation{p, 0, true}, Observation{p, 1, false}, Observation{p, 3, p%2 == 0})
	}
	cal, err := Calibrate(4, obs, DefaultCalibrationOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range cal.Items {
		if !finite(it.A) || !finite(it.B) || !finite(it.SEA) || !finite(it.SEB) {
			t.Errorf("item %d: %+v", i, it)
		}
	}
	if cal.Items[0].B >= 0 || cal.Items[1].B <= 0 {
		t.Errorf("all-right item b=%v, all-wrong item b=%v", cal.Items[0].B, cal.Items[1].B)
	}
	if cal.Items[2].N != 0 || cal.Items[2].A != 1 || cal.Items[2].B != 0 {
		t.Errorf("unanswered item should keep its prior: %+v", cal.Items[2])
	}
}

func TestItemBeliefLearnsDifficulty(t *testing.T) {
	const trueA, trueB = 1.4, 0.8
	ib, err := NewItemBelief(1, 0, 0.5, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	rng := newRand(3)
	for range 1500 {
		theta := rng.NormFloat64()
		ib = ib.Update(theta, rng.Float64() < Probability(trueA, trueB, theta))
	}
	if !near(ib.B, trueB, 3*ib.SEB()+0.05) || !near(ib.A(), trueA, 3*ib.SEA()+0.05) {
		t.Errorf("after 1500 answers: a=%.3f±%.3f b=%.3f±%.3f, truth a=%v b=%v", ib.A(), ib.SEA(), ib.B, ib.SEB(), trueA, trueB)
	}
	if ib.SEB() > 0.15 {
		t.Errorf("SE(b) %.3f after 1500 answers", ib.SEB())
	}
}
