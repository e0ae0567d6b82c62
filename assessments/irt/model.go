package irt

import "math"

// pFloor keeps response probabilities away from 0 and 1 in the tables, so
// that a posterior multiplied by thousands of extreme items never becomes
// all zeros (which would turn the estimate into NaN).
const pFloor = 1e-12

// Probability returns the 2PL probability that a person of ability theta
// answers an item of discrimination a and difficulty b correctly:
// 1 / (1 + exp(−a(θ − b))). The logistic metric is used without the 1.7
// scaling constant, as PIX and catsim do, so parameters compare directly.
func Probability(a, b, theta float64) float64 {
	return 1 / (1 + math.Exp(-a*(theta-b)))
}

// Information returns the Fisher information of a 2PL item at theta,
// a²·P·(1−P): how much one answer to the item sharpens the ability estimate
// there.
func Information(a, b, theta float64) float64 {
	p := Probability(a, b, theta)
	return a * a * p * (1 - p)
}

// tableProbabilities returns P and 1−P at theta, each computed from its
// own exponential (so 1−P keeps its precision when P is close to 1) and
// clamped to [pFloor, 1−pFloor].
func tableProbabilities(a, b, theta float64) (p, q float64) {
	x := a * (theta - b)
	p = 1 / (1 + math.Exp(-x))
	q = 1 / (1 + math.Exp(x))
	return clampProbability(p), clampProbability(q)
}

func clampProbability(p float64) float64 {
	switch {
	case !(p >= pFloor): // also catches NaN
		return pFloor
	case p > 1-pFloor:
		return 1 - pFloor
	}
	return p
}

func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}
