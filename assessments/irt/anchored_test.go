package irt

import (
	"math"
	"testing"
)

// anchoredSample simulates n people of ability θ ~ N(0,1), measured with
// an SE of se (the estimate is the true ability plus that error, shrunk as
// an EAP would), answering an item of parameters a, b.
func anchoredSample(n int, a, b, se float64, seed uint64) []AnchoredAnswer {
	r := newRand(seed)
	out := make([]AnchoredAnswer, n)
	shrink := 1 / (1 + se*se)
	for i := range out {
		theta := r.NormFloat64()
		est := (theta + se*r.NormFloat64()) * shrink
		out[i] = AnchoredAnswer{Theta: est, SE: se * math.Sqrt(shrink), Correct: r.Float64() < Probability(a, b, theta)}
	}
	return out
}

// TestCalibrateAnchoredRecovers: 2,000 answers recover an item's a and b
// within a few SEs, and the SEs are those of a few thousand answers; an
// item answered at random whatever the ability gets a ≈ 0.
func TestCalibrateAnchoredRecovers(t *testing.T) {
	fit, err := CalibrateAnchored(anchoredSample(2000, 1.4, 0.7, 0.3, 11), DefaultCalibrationOptions())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.A-1.4) > 3*fit.SEA+0.1 || math.Abs(fit.B-0.7) > 3*fit.SEB+0.05 {
		t.Errorf("fit a=%.3f±%.3f b=%.3f±%.3f, want 1.4 and 0.7", fit.A, fit.SEA, fit.B, fit.SEB)
	}
	if fit.SEA <= 0 || fit.SEA > 0.2 || fit.SEB <= 0 || fit.SEB > 0.12 || fit.N != 2000 {
		t.Errorf("SEs %.3f %.3f on %d answers", fit.SEA, fit.SEB, fit.N)
	}
	if fit.Outfit < 0.8 || fit.Outfit > 1.2 {
		t.Errorf("outfit %.2f of an item that follows the model", fit.Outfit)
	}
	random := anchoredSample(2000, 1.4, 0.7, 0.3, 12)
	coin := newRand(99)
	for i := range random {
		random[i].Correct = coin.Float64() < 0.5
	}
	bad, err := CalibrateAnchored(random, DefaultCalibrationOptions())
	if err != nil {
		t.Fatal(err)
	}
	if bad.A > 0.3 {
		t.Errorf("an item answered at random got a = %.2f", bad.A)
	}
	if _, err := CalibrateAnchored(nil, DefaultCalibrationOptions()); err == nil {
		t.Error("no answers: want an error")
	}
}
