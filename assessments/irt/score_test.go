package irt

import (
	"math"
	"testing"
)

func TestScoring(t *testing.T) {
	s := DefaultScoring()
	tests := []struct {
		theta     float64
		wantLevel int
		wantScore int
	}{
		{math.Inf(-1), 0, 0},
		{-4, 0, 0},
		{-3, 0, 64},
		{-2.5, 1, 128},
		{-0.5, 3, 384},
		{0, 3, 448},
		{0.5, 4, 512},
		{4.4999, 7, 1023},
		{4.5, 8, 1024},
		{9, 8, 1024},
		{math.NaN(), 0, 0},
	}
	for _, tc := range tests {
		if got := s.Level(tc.theta); got != tc.wantLevel {
			t.Errorf("Level(%v) = %d, want %d", tc.theta, got, tc.wantLevel)
		}
		if got := s.Score(tc.theta); got != tc.wantScore {
			t.Errorf("Score(%v) = %d, want %d", tc.theta, got, tc.wantScore)
		}
	}
	sim := SimulationScoring()
	for theta, want := range map[float64]int{-3.5: 0, -3: 1, -0.01: 3, 0: 4, 4: 8} {
		if got := sim.Level(theta); got != want {
			t.Errorf("simulation Level(%v) = %d, want %d", theta, got, want)
		}
	}
}

func TestScoreIsMonotone(t *testing.T) {
	s := DefaultScoring()
	prev := -1
	for x := -6.0; x <= 6; x += 0.01 {
		sc := s.Score(x)
		if sc < prev || sc/128 != min(s.Level(x), 8) && sc != MaxScore {
			t.Fatalf("Score(%.2f) = %d after %d, level %d", x, sc, prev, s.Level(x))
		}
		prev = sc
	}
}

func TestScoringRejectsBadCutPoints(t *testing.T) {
	s := DefaultScoring()
	s.CutPoints[3] = s.CutPoints[2]
	if s.Validate() == nil {
		t.Error("equal cut points accepted")
	}
	s = DefaultScoring()
	s.CutPoints[0] = math.NaN()
	if s.Validate() == nil {
		t.Error("NaN cut point accepted")
	}
}
