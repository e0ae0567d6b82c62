package irt

import (
	"fmt"
	"math"
)

// ItemBelief is a Gaussian belief about one item's (log a, b), updated one
// answer at a time: the online rule for new items between two batch
// calibrations.
//
// Why this rule: a pilot item seeded into live tests collects answers one
// by one, from people whose ability the calibrated items already measure.
// Refitting the whole bank by EM after each answer is wasteful, and an
// Elo-style rule has a step size to tune and no standard error, so nobody
// knows when the item is ready. Treating the person's EAP ability as known
// and folding each answer into a Gaussian belief by one Newton step (a
// Laplace / extended Kalman update) costs a handful of operations, needs no
// tuning beyond the prior, and yields SEs that say when the item may start
// counting toward scores (e.g. SE(b) < 0.3). Using the EAP rather than the
// true ability is a Berkson-type error, which in a logistic model only
// mildly attenuates a; the nightly Calibrate run on all answers replaces
// these provisional values.
type ItemBelief struct {
	// LogA and B are the current means.
	LogA, B float64
	// VarLogA, Cov and VarB are the covariance of (log a, b).
	VarLogA, Cov, VarB float64
	// N counts the answers folded in.
	N int
}

// NewItemBelief starts a belief from a prior: the author's guess of the
// difficulty (b, with SD sdB) and a typical discrimination (a, with SD
// sdLogA on log a).
func NewItemBelief(a, b, sdLogA, sdB float64) (ItemBelief, error) {
	if !finite(a) || a <= 0 || !finite(b) || !finite(sdLogA) || sdLogA <= 0 || !finite(sdB) || sdB <= 0 {
		return ItemBelief{}, fmt.Errorf("irt: item belief a=%v b=%v sd=(%v, %v): %w", a, b, sdLogA, sdB, ErrInvalidInput)
	}
	return ItemBelief{LogA: math.Log(a), B: b, VarLogA: sdLogA * sdLogA, VarB: sdB * sdB}, nil
}

// A returns the current discrimination estimate.
func (ib ItemBelief) A() float64 { return math.Exp(ib.LogA) }

// SEA returns the standard error of a (delta method).
func (ib ItemBelief) SEA() float64 { return ib.A() * math.Sqrt(ib.VarLogA) }

// SEB returns the standard error of b.
func (ib ItemBelief) SEB() float64 { return math.Sqrt(ib.VarB) }

// Update folds in one answer by a person of (estimated) ability theta and
// returns the new belief. A non-finite theta leaves the belief unchanged.
func (ib ItemBelief) Update(theta float64, correct bool) ItemBelief {
	if !finite(theta) {
		return ib
	}
	a := ib.A()
	p, q := tableProbabilities(a, ib.B, theta)
	x := 0.0
	if correct {
		x = 1
	}
	// Gradient of the logit a(θ − b) with respect to (log a, b).
	g1, g2 := a*(theta-ib.B), -a
	w := p * q
	// Precision: prior precision plus the answer's Fisher information.
	det0 := ib.VarLogA*ib.VarB - ib.Cov*ib.Cov
	if !(det0 > 0) {
		return ib
	}
	l11 := ib.VarB/det0 + w*g1*g1
	l12 := -ib.Cov/det0 + w*g1*g2
	l22 := ib.VarLogA/det0 + w*g2*g2
	det := l11*l22 - l12*l12
	if !(det > 0) {
		return ib
	}
	v11, v12, v22 := l22/det, -l12/det, l11/det
	r := x - p
	next := ItemBelief{
		LogA:    ib.LogA + (v11*g1+v12*g2)*r,
		B:       ib.B + (v12*g1+v22*g2)*r,
		VarLogA: v11, Cov: v12, VarB: v22,
		N: ib.N + 1,
	}
	if !finite(next.LogA) || !finite(next.B) {
		return ib
	}
	return next
}
