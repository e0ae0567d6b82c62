package irt

import (
	"math"
	"testing"
)

func TestProbabilityAndInformation(t *testing.T) {
	tests := []struct {
		name            string
		a, b, theta     float64
		wantP, wantInfo float64
	}{
		{"at difficulty", 1.2, 0.5, 0.5, 0.5, 1.2 * 1.2 * 0.25},
		{"one logit above", 1, 0, 1, 1 / (1 + math.Exp(-1)), math.Exp(-1) / math.Pow(1+math.Exp(-1), 2)},
		{"two logits below, a=2", 2, 1, 0, 1 / (1 + math.Exp(2)), 4 * math.Exp(2) / math.Pow(1+math.Exp(2), 2)},
		{"far above", 1, -30, 30, 1, 0},
		{"far below", 1, 30, -30, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Probability(tc.a, tc.b, tc.theta); !near(got, tc.wantP, 1e-12) {
				t.Errorf("Probability = %v, want %v", got, tc.wantP)
			}
			if got := Information(tc.a, tc.b, tc.theta); !near(got, tc.wantInfo, 1e-12) {
				t.Errorf("Information = %v, want %v", got, tc.wantInfo)
			}
		})
	}
}

// TestInformationIsFisher checks Information against its definition,
// P'(θ)² / (P(1−P)), with P' by central differences.
func TestInformationIsFisher(t *testing.T) {
	for _, a := range []float64{0.3, 1, 2.5} {
		for _, theta := range []float64{-3, -0.7, 0, 1.3, 4} {
			const h = 1e-5
			p := Probability(a, 0.4, theta)
			dp := (Probability(a, 0.4, theta+h) - Probability(a, 0.4, theta-h)) / (2 * h)
			want := dp * dp / (p * (1 - p))
			if got := Information(a, 0.4, theta); !near(got, want, 1e-6*math.Max(1, want)) {
				t.Errorf("a=%v θ=%v: Information = %v, numerical %v", a, theta, got, want)
			}
		}
	}
}

func TestTableProbabilitiesStayInside(t *testing.T) {
	for _, x := range []struct{ a, b, theta float64 }{
		{1e300, 0, 1}, {1e300, 0, -1}, {1e300, 0, 0}, {1e-300, 5, 5}, {50, -1e10, 6},
	} {
		p, q := tableProbabilities(x.a, x.b, x.theta)
		if !(p >= pFloor && p <= 1-pFloor && q >= pFloor && q <= 1-pFloor) {
			t.Errorf("tableProbabilities(%v) = %v, %v: outside [pFloor, 1−pFloor]", x, p, q)
		}
	}
}
