package irt

import (
	"fmt"
	"math"
)

// Levels is the number of competence levels above 0 (PIX's 1–8).
const Levels = 8

// MaxScore is the top of the global score, PIX's 1024 (8 levels × 128).
const MaxScore = 1024

// Scoring turns abilities into levels and a score. It is versioned because
// a level handed to a person must be re-derivable years later: a result
// records the Version it was scored with.
type Scoring struct {
	// Version names this set of cut points; change it whenever they move.
	Version string
	// CutPoints are the 8 increasing abilities at which levels 1..8 start:
	// level = how many cut points are ≤ θ.
	CutPoints [Levels]float64
}

// DefaultScoring returns Ardoise's cut points, one logit apart from −2.5
// (level 1) to 4.5 (level 8); see README.md for the reasoning.
func DefaultScoring() Scoring {
	return Scoring{
		Version:   "ardoise-levels-1",
		CutPoints: [Levels]float64{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5},
	}
}

// SimulationScoring returns the fixed cut points of shared/simulation.md
// ({−3, −2, …, 4}), used for the competence level figures so they compare
// across engines whatever the product's own cut points.
func SimulationScoring() Scoring {
	return Scoring{
		Version:   "simulation",
		CutPoints: [Levels]float64{-3, -2, -1, 0, 1, 2, 3, 4},
	}
}

// Validate reports whether the cut points are finite and strictly
// increasing.
func (s Scoring) Validate() error {
	for i, c := range s.CutPoints {
		if !finite(c) || (i > 0 && c <= s.CutPoints[i-1]) {
			return fmt.Errorf("irt: scoring %q: cut points %v must be finite and increasing: %w", s.Version, s.CutPoints, ErrInvalidInput)
		}
	}
	return nil
}

// Level returns the level 0–8 of an ability: the number of cut points at or
// below it. NaN gets 0.
func (s Scoring) Level(theta float64) int {
	n := 0
	for _, c := range s.CutPoints {
		if theta >= c {
			n++
		}
	}
	return n
}

// Score maps an ability onto 0–1024: 128 points per level, linear within a
// level, so that score/128 reads as the level reached and the rest as the
// progress toward the next one. Below the first cut point the score falls
// linearly to 0 over one level width; from the last cut point on it is 1024.
func (s Scoring) Score(theta float64) int {
	if math.IsNaN(theta) {
		return 0
	}
	const perLevel = MaxScore / Levels
	c := s.CutPoints
	var x float64 // position in levels
	switch {
	case theta >= c[Levels-1]:
		return MaxScore
	case theta < c[0]:
		w := c[1] - c[0]
		x = (theta - (c[0] - w)) / w
	default:
		for k := 0; k < Levels-1; k++ {
			if theta < c[k+1] {
				x = float64(k+1) + (theta-c[k])/(c[k+1]-c[k])
				break
			}
		}
	}
	score := int(math.Floor(x * perLevel))
	return max(0, min(MaxScore, score))
}
