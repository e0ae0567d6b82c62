package irt

import (
	"fmt"
	"math"
)

// AnchoredAnswer is one answer to an item under calibration by a person
// whose ability is already measured by scored items: the posterior of
// that ability, summarised as N(Theta, SE²), and whether the answer was
// correct.
type AnchoredAnswer struct {
	Theta, SE float64
	Correct   bool
}

// AnchoredFit is the estimate of one item calibrated on the scale of the
// scored items.
type AnchoredFit struct {
	A, B     float64
	SEA, SEB float64
	N        int
	// Outfit is the mean squared standardised residual of the answers
	// (expected value 1): above 1.3 the item surprises the model (answers
	// that do not follow ability), below 0.7 it is too predictable.
	Outfit float64
}

// minAnchorSE keeps a person's ability posterior from collapsing onto one
// grid node when the stored SE is 0 or tiny.
const minAnchorSE = 0.1

// CalibrateAnchored estimates a new item's 2PL parameters on the scale of
// the scored items, which stay fixed (fixed-parameter calibration): each
// respondent's ability posterior, measured by the scored items of their
// test, is the prior of an EM whose M-step is Calibrate's Fisher scoring
// with its priors on log a and b. The SEs come from the cross-product of
// the answers' score vectors plus the priors' information, as Calibrate's.
func CalibrateAnchored(answers []AnchoredAnswer, opts CalibrationOptions) (AnchoredFit, error) {
	if err := opts.Grid.Validate(); err != nil {
		return AnchoredFit{}, err
	}
	if len(answers) == 0 {
		return AnchoredFit{}, fmt.Errorf("irt: no answer to calibrate on: %w", ErrInvalidInput)
	}
	nodes := opts.Grid.Nodes()
	q := len(nodes)
	prior := make([]float64, len(answers)*q)
	for i, ans := range answers {
		if !finite(ans.Theta) || !finite(ans.SE) {
			return AnchoredFit{}, fmt.Errorf("irt: answer %d: ability %v ± %v: %w", i, ans.Theta, ans.SE, ErrInvalidInput)
		}
		normalWeights(prior[i*q:i*q:(i+1)*q], nodes, ans.Theta, max(ans.SE, minAnchorSE))
	}
	logA, b := opts.LogAMean, opts.BMean
	n, r, post := make([]float64, q), make([]float64, q), make([]float64, q)
	estep := func() {
		clear(n)
		clear(r)
		a := math.Exp(logA)
		for i, ans := range answers {
			var sum float64
			for k, x := range nodes {
				p, qq := tableProbabilities(a, b, x)
				v := qq
				if ans.Correct {
					v = p
				}
				post[k] = prior[i*q+k] * v
				sum += post[k]
			}
			for k := range post {
				w := post[k] / sum
				n[k] += w
				if ans.Correct {
					r[k] += w
				}
			}
		}
	}
	for range max(opts.MaxIterations, 1) {
		estep()
		nl, nb := fitItem(logA, b, n, r, nodes, opts)
		moved := max(math.Abs(math.Exp(nl)-math.Exp(logA)), math.Abs(nb-b))
		logA, b = nl, nb
		if moved < opts.Tolerance {
			break
		}
	}
	return anchoredFit(answers, prior, nodes, logA, b, opts), nil
}

// anchoredFit computes the SEs and the outfit at the estimate.
func anchoredFit(answers []AnchoredAnswer, prior, nodes []float64, logA, b float64, opts CalibrationOptions) AnchoredFit {
	q := len(nodes)
	a := math.Exp(logA)
	var jAA, jAB, jBB, outfit float64
	for i, ans := range answers {
		// Score of the answer's log marginal likelihood in (log a, b): the
		// posterior mean of the complete-data score.
		var sum, sA, sB, expect float64
		x := 0.0
		if ans.Correct {
			x = 1
		}
		for k, t := range nodes {
			p, qq := tableProbabilities(a, b, t)
			v := qq
			if ans.Correct {
				v = p
			}
			w := prior[i*q+k] * v
			sum += w
			sA += w * (x - p) * a * (t - b)
			sB += w * (x - p) * -a
			expect += prior[i*q+k] * p
		}
		sA /= sum
		sB /= sum
		jAA += sA * sA
		jAB += sA * sB
		jBB += sB * sB
		outfit += (x - expect) * (x - expect) / max(expect*(1-expect), 1e-9)
	}
	jAA += 1 / (opts.LogASD * opts.LogASD)
	jBB += 1 / (opts.BSD * opts.BSD)
	fit := AnchoredFit{A: a, B: b, N: len(answers), Outfit: outfit / float64(len(answers))}
	if det := jAA*jBB - jAB*jAB; det > 0 {
		fit.SEA = a * math.Sqrt(jBB/det)
		fit.SEB = math.Sqrt(jAA / det)
	}
	return fit
}

// Outfit is the mean squared standardised residual of answers to an item
// of known parameters, each person's ability taken as N(Theta, SE²):
// about 1 for an item that follows the model.
func Outfit(answers []AnchoredAnswer, a, b float64, grid Grid) float64 {
	if len(answers) == 0 {
		return 0
	}
	nodes := grid.Nodes()
	w := make([]float64, 0, len(nodes))
	var sum float64
	for _, ans := range answers {
		w = normalWeights(w, nodes, ans.Theta, max(ans.SE, minAnchorSE))
		var expect float64
		for k, t := range nodes {
			expect += w[k] * Probability(a, b, t)
		}
		x := 0.0
		if ans.Correct {
			x = 1
		}
		sum += (x - expect) * (x - expect) / max(expect*(1-expect), 1e-9)
	}
	return sum / float64(len(answers))
}
