package irt

import (
	"math"
	"testing"
)

// The figure formulas on examples small enough to compute by hand.
func TestLengthFiguresByHand(t *testing.T) {
	// Lengths 10, 20, 30, 40 with a maximum of 40: mean 25, deviations
	// ±15 and ±5, variance (225+25+25+225)/4 = 125, one test in four at
	// the maximum.
	mean, sd, pct := lengthFigures([]int{10, 20, 30, 40}, 40)
	if mean != 25 || !near(sd, math.Sqrt(125), 1e-12) || pct != 25 {
		t.Errorf("mean %v sd %v pct at max %v, want 25, √125, 25", mean, sd, pct)
	}
	if _, sd, pct := lengthFigures([]int{32, 32, 32}, 32); sd != 0 || pct != 100 {
		t.Errorf("fixed length: sd %v, pct at max %v", sd, pct)
	}
}

func TestExposureFiguresByHand(t *testing.T) {
	// Four items, two tests of two items: {0, 1} and {0, 2}. Rates 1,
	// ½, ½, 0: the largest is 1, one item in four unused. Mean rate ½ (=
	// L̄/n), variance (¼ + 0 + 0 + ¼)/4 = ⅛, so T = (4/2)·⅛ + 2/4 = ¾.
	maxRate, unused, overlap := exposureFigures([]int32{2, 1, 1, 0}, 2, 2)
	if maxRate != 1 || unused != 25 || !near(overlap, 0.75, 1e-12) {
		t.Errorf("max %v unused %v overlap %v, want 1, 25, 0.75", maxRate, unused, overlap)
	}
	// Three items, five tests of one item, all item 0: every pair of
	// tests shares its whole test, so the overlap is 1. Rates 1, 0, 0:
	// variance 1/3 − 1/9 = 2/9, T = (3/1)·(2/9) + 1/3 = 1.
	maxRate, unused, overlap = exposureFigures([]int32{5, 0, 0}, 5, 1)
	if maxRate != 1 || !near(unused, 200.0/3, 1e-12) || !near(overlap, 1, 1e-12) {
		t.Errorf("max %v unused %v overlap %v, want 1, 66.7, 1", maxRate, unused, overlap)
	}
	// Every item given equally: no variance, T = L̄/n (random overlap).
	if _, _, overlap := exposureFigures([]int32{3, 3, 3, 3, 3, 3}, 9, 2); !near(overlap, 2.0/6, 1e-12) {
		t.Errorf("uniform overlap %v, want 1/3", overlap)
	}
}
