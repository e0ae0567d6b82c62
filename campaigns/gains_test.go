package campaigns

import (
	"math"
	"testing"

	"ardoise/assessments/irt"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestPairGain(t *testing.T) {
	// Gains d = after − before: 0.1, 0.3, 0.5, 0.7, 0.9 (n = 5).
	// mean = 2.5 / 5 = 0.5
	// deviations −0.4, −0.2, 0, 0.2, 0.4; Σ² = 0.16+0.04+0+0.04+0.16 = 0.4
	// s² = 0.4 / 4 = 0.1; SE = √(0.1 / 5) = √0.02 = 0.1414214
	// t(0.975, 4) = 2.7764451; half-width = 2.7764451 × 0.1414214 = 0.3926486
	// interval = 0.5 ± 0.3926486 = [0.1073514, 0.8926486]
	rising := []Pair{{-1.0, -0.9}, {0.2, 0.5}, {-0.5, 0}, {1.1, 1.8}, {0, 0.9}}
	// Gains −1, 0, 1, 2, 3, −1, 0, 1, 2, 3 (n = 10).
	// mean = 10 / 10 = 1
	// deviations −2, −1, 0, 1, 2 twice; Σ² = 2 × 10 = 20
	// s² = 20 / 9 = 2.2222222; SE = √(2.2222222 / 10) = 0.4714045
	// t(0.975, 9) = 2.2621572; half-width = 2.2621572 × 0.4714045 = 1.0663916
	// interval = 1 ± 1.0663916 = [−0.0663916, 2.0663916]
	var mixed []Pair
	for range 2 {
		for d := -1.0; d <= 3; d++ {
			mixed = append(mixed, Pair{Before: 0.5, After: 0.5 + d})
		}
	}
	same := []Pair{{-1, -1}, {0.3, 0.3}, {2, 2}, {0, 0}, {-0.7, -0.7}, {1.2, 1.2}}
	tests := []struct {
		name  string
		pairs []Pair
		want  Gain
	}{
		{"five rising", rising, Gain{N: 5, Mean: 0.5, Low: 0.1073514, High: 0.8926486, Enough: true}},
		{"ten mixed", mixed, Gain{N: 10, Mean: 1, Low: -0.0663916, High: 2.0663916, Enough: true}},
		{"identical before and after", same, Gain{N: 6, Enough: true}},
		{"four pairs are too few", rising[:4], Gain{N: 4}},
		{"one pair", rising[:1], Gain{N: 1}},
		{"none", nil, Gain{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PairGain(tt.pairs)
			if got.N != tt.want.N || got.Enough != tt.want.Enough ||
				!near(got.Mean, tt.want.Mean, 1e-6) || !near(got.Low, tt.want.Low, 1e-6) || !near(got.High, tt.want.High, 1e-6) {
				t.Errorf("PairGain = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPairGainBelowMinPairsGivesNoMean(t *testing.T) {
	pairs := []Pair{{0, 3}, {0, 3}, {0, 3}, {0, 3}}
	if g := PairGain(pairs); g.Enough || g.Mean != 0 || g.Low != 0 || g.High != 0 || g.N != 4 {
		t.Errorf("PairGain(4 pairs) = %+v, want only N = 4", g)
	}
	if g := PairGain(append(pairs, Pair{0, 3})); !g.Enough || g.Mean != 3 {
		t.Errorf("PairGain(5 pairs) = %+v, want a gain of 3", g)
	}
}

func TestTCritical95(t *testing.T) {
	// Published two-sided 95 % critical values of Student's t.
	tests := []struct {
		df   int
		want float64
	}{
		{1, 12.706}, {2, 4.303}, {3, 3.182}, {4, 2.776}, {5, 2.571},
		{9, 2.262}, {10, 2.228}, {20, 2.086}, {29, 2.045}, {30, 2.042},
		{60, 2.000}, {100, 1.984}, {120, 1.980}, {1000, 1.962}, {100000, 1.960},
	}
	for _, tt := range tests {
		if got := tCritical95(tt.df); !near(got, tt.want, 0.0005) {
			t.Errorf("tCritical95(%d) = %.4f, want %.3f", tt.df, got, tt.want)
		}
	}
}

func TestTCentralMassAgreesWithClosedForms(t *testing.T) {
	// df 1 is Cauchy: P(|T| < 1) = 2·atan(1)/π = 0.5. df 2 has
	// P(|T| < t) = t / √(2 + t²); at t = √2 that is √2 / 2.
	if got := tCentralMass(1, 1); !near(got, 0.5, 1e-12) {
		t.Errorf("df 1: %v, want 0.5", got)
	}
	if got := tCentralMass(math.Sqrt2, 2); !near(got, math.Sqrt2/2, 1e-12) {
		t.Errorf("df 2: %v, want %v", got, math.Sqrt2/2)
	}
}

func TestPairsKeepsOnlyPeopleInBoth(t *testing.T) {
	before := map[string]float64{"ana": -0.5, "bob": 0.2, "cleo": 1.0, "dan": 0}
	after := map[string]float64{"cleo": 1.5, "ana": 0.1, "eve": 2.0, "bob": 0.2}
	got := Pairs(before, after)
	want := []Pair{{-0.5, 0.1}, {0.2, 0.2}, {1.0, 1.5}} // ana, bob, cleo
	if len(got) != len(want) {
		t.Fatalf("Pairs = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Pairs[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got := Pairs(before, nil); len(got) != 0 {
		t.Errorf("Pairs(before, nil) = %v, want none", got)
	}
}

func TestInLevels(t *testing.T) {
	g := Gain{N: 5, Mean: 0.5, Low: 0.1, High: 0.9, Enough: true}
	if got := g.InLevels(); got != (Gain{N: 5, Mean: 0.5 / LogitsPerLevel, Low: 0.1 / LogitsPerLevel, High: 0.9 / LogitsPerLevel, Enough: true}) {
		t.Errorf("InLevels = %+v", got)
	}
}

func TestLogitsPerLevelMatchesDefaultCutPoints(t *testing.T) {
	cuts := irt.DefaultScoring().CutPoints
	for i := 1; i < len(cuts); i++ {
		if w := cuts[i] - cuts[i-1]; !near(w, LogitsPerLevel, 1e-12) {
			t.Errorf("levels %d to %d are %v logits apart, LogitsPerLevel is %v", i, i+1, w, LogitsPerLevel)
		}
	}
}
