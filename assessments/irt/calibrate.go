package irt

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Observation is one cell of a sparse response matrix: a person answered
// an item, correctly or not. Adaptive tests leave most cells empty, so
// only the answered ones are listed.
type Observation struct {
	Person, Item int
	Correct      bool
}

// CalibrationOptions tune Calibrate. The zero value is not usable; start
// from DefaultCalibrationOptions.
type CalibrationOptions struct {
	// Grid holds the N(0,1) ability distribution that fixes the scale.
	Grid Grid
	// MaxIterations bounds the EM cycles; Tolerance stops them once no a
	// or b moves by more than it.
	MaxIterations int
	Tolerance     float64
	// LogAMean and LogASD define the weak prior log a ~ N(mean, sd²) that
	// keeps a finite for items everyone (or no one) answers correctly.
	LogAMean, LogASD float64
	// BMean and BSD define a very weak prior on b, for the same reason.
	BMean, BSD float64
	// FloatLogAMean, when set, moves LogAMean to the mean log a of the
	// answered items after every EM cycle (BILOG's FLOAT option): with few
	// answers per item a fixed prior mean pulls every discrimination
	// toward it, a floating one only toward the bank's own mean.
	FloatLogAMean bool
}

// DefaultCalibrationOptions returns the options Ardoise calibrates with: 41
// points from −5 to 5, log a ~ N(0, 0.5²) (BILOG's default slope prior:
// a median of 1, a 95 % range of 0.38–2.7, negligible beside a few hundred
// answers), b ~ N(0, 3²).
func DefaultCalibrationOptions() CalibrationOptions {
	return CalibrationOptions{
		Grid:          Grid{Min: -5, Max: 5, Points: 41},
		MaxIterations: 500,
		Tolerance:     1e-6,
		LogAMean:      0,
		LogASD:        0.5,
		BMean:         0,
		BSD:           3,
	}
}

// ItemCalibration is the estimate for one item.
type ItemCalibration struct {
	// A and B are the estimated discrimination and difficulty.
	A float64 `json:"a"`
	B float64 `json:"b"`
	// SEA and SEB are their standard errors (cross-product information of
	// the marginal likelihood plus the priors, delta method for a).
	SEA float64 `json:"se_a"`
	SEB float64 `json:"se_b"`
	// N is the number of answers to the item, Correct the correct ones.
	// An item with N = 0 keeps its prior (a = e^LogAMean, b = BMean).
	N       int `json:"n"`
	Correct int `json:"correct"`
}

// Calibration is the result of Calibrate.
type Calibration struct {
	Items         []ItemCalibration `json:"items"`
	Iterations    int               `json:"iterations"`
	Converged     bool              `json:"converged"`
	LogLikelihood float64           `json:"log_likelihood"`
}

// Calibrate estimates 2PL parameters for items 0..items−1 by marginal
// maximum likelihood with the EM algorithm of Bock and Aitkin (1981):
// abilities are integrated out over a N(0,1) grid; the E-step turns each
// person's answers into a posterior over the grid and accumulates, per
// item and grid point, the expected number of people and of correct
// answers; the M-step fits each item to those counts by Fisher scoring on
// (log a, b) with the priors. Only answered cells are visited, so the cost
// is answers × grid points per cycle whatever the sparsity.
func Calibrate(items int, obs []Observation, opts CalibrationOptions) (*Calibration, error) {
	if err := validateCalibration(items, obs, opts); err != nil {
		return nil, err
	}
	persons := groupByPerson(obs)
	nodes := opts.Grid.Nodes()
	weights := normalWeights(nil, nodes, 0, 1)
	q := len(nodes)

	res := &Calibration{}
	var logA, b []float64
	res.Items, logA, b = startValues(items, obs, opts)

	lp := make([]float64, items*q) // log P and log(1−P) at the nodes
	lq := make([]float64, items*q)
	nExp := make([]float64, items*q) // expected people per item and node
	rExp := make([]float64, items*q) // expected correct answers
	post := make([]float64, q)
	for iter := 1; iter <= opts.MaxIterations; iter++ {
		fillLogTables(lp, lq, logA, b, nodes)
		clear(nExp)
		clear(rExp)
		res.LogLikelihood = 0
		for _, answers := range persons {
			res.LogLikelihood += personPosterior(post, answers, lp, lq, weights)
			for _, o := range answers {
				row := o.Item * q
				for k, w := range post {
					nExp[row+k] += w
				}
				if o.Correct {
					for k, w := range post {
						rExp[row+k] += w
					}
				}
			}
		}
		change := 0.0
		for i := range items {
			if res.Items[i].N == 0 {
				continue
			}
			na, nb := fitItem(logA[i], b[i], nExp[i*q:(i+1)*q], rExp[i*q:(i+1)*q], nodes, opts)
			change = max(change, math.Abs(math.Exp(na)-math.Exp(logA[i])), math.Abs(nb-b[i]))
			logA[i], b[i] = na, nb
		}
		res.Iterations = iter
		if change < opts.Tolerance {
			res.Converged = true
			break
		}
	}
	fillLogTables(lp, lq, logA, b, nodes)
	standardErrors(res, persons, logA, b, lp, lq, nodes, weights, opts)
	return res, nil
}

func validateCalibration(items int, obs []Observation, opts CalibrationOptions) error {
	if items < 1 {
		return fmt.Errorf("irt: calibrate %d items: %w", items, ErrInvalidInput)
	}
	if err := opts.Grid.Validate(); err != nil {
		return err
	}
	if opts.MaxIterations < 1 || !finite(opts.Tolerance) || opts.Tolerance <= 0 ||
		!finite(opts.LogAMean) || !finite(opts.LogASD) || opts.LogASD <= 0 ||
		!finite(opts.BMean) || !finite(opts.BSD) || opts.BSD <= 0 {
		return fmt.Errorf("irt: calibration options %+v: %w", opts, ErrInvalidInput)
	}
	for _, o := range obs {
		if o.Item < 0 || o.Item >= items || o.Person < 0 {
			return fmt.Errorf("irt: observation of person %d on item %d (of %d): %w", o.Person, o.Item, items, ErrInvalidInput)
		}
	}
	return nil
}

// groupByPerson returns each person's answers together, persons in
// increasing order, without modifying obs.
func groupByPerson(obs []Observation) [][]Observation {
	sorted := slices.Clone(obs)
	slices.SortStableFunc(sorted, func(x, y Observation) int { return cmp.Compare(x.Person, y.Person) })
	var out [][]Observation
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].Person == sorted[start].Person {
			end++
		}
		out = append(out, sorted[start:end])
		start = end
	}
	return out
}

func fillLogTables(lp, lq, logA, b, nodes []float64) {
	q := len(nodes)
	for i := range logA {
		a := math.Exp(logA[i])
		for k, x := range nodes {
			p, r := tableProbabilities(a, b[i], x)
			lp[i*q+k], lq[i*q+k] = math.Log(p), math.Log(r)
		}
	}
}

// personPosterior sets post to one person's posterior over the nodes and
// returns the log of their marginal likelihood.
func personPosterior(post []float64, answers []Observation, lp, lq, weights []float64) float64 {
	q := len(post)
	clear(post)
	for _, o := range answers {
		row := lp[o.Item*q : (o.Item+1)*q]
		if !o.Correct {
			row = lq[o.Item*q : (o.Item+1)*q]
		}
		for k, v := range row {
			post[k] += v
		}
	}
	top := math.Inf(-1)
	for _, v := range post {
		top = max(top, v)
	}
	var sum float64
	for k, v := range post {
		post[k] = math.Exp(v-top) * weights[k]
		sum += post[k]
	}
	for k := range post {
		post[k] /= sum
	}
	return top + math.Log(sum)
}

// fitItem maximises one item's expected complete-data log likelihood plus
// the log priors by Fisher scoring on (log a, b), from the current values.
func fitItem(logA, b float64, n, r, nodes []float64, opts CalibrationOptions) (float64, float64) {
	pa, pb := 1/(opts.LogASD*opts.LogASD), 1/(opts.BSD*opts.BSD)
	for range 25 {
		a := math.Exp(logA)
		var gA, gB, iAA, iAB, iBB float64
		for k, x := range nodes {
			if n[k] == 0 {
				continue
			}
			p, q := tableProbabilities(a, b, x)
			resid := r[k] - n[k]*p
			w := n[k] * p * q
			d := x - b
			gA += resid * d
			gB += resid
			iAA += w * d * d
			iAB += w * d
			iBB += w
		}
		// Chain rule to (log a, b): ∂/∂log a = a·∂/∂a, ∂/∂b = −a·Σresid.
		g1 := a*gA - pa*(logA-opts.LogAMean)
		g2 := -a*gB - pb*(b-opts.BMean)
		h11 := a*a*iAA + pa
		h12 := -a * a * iAB
		h22 := a*a*iBB + pb
		det := h11*h22 - h12*h12
		if !(det > 0) {
			break
		}
		d1 := (h22*g1 - h12*g2) / det
		d2 := (h11*g2 - h12*g1) / det
		// Bounded steps: Fisher scoring from a poor start can overshoot.
		d1 = max(-1, min(1, d1))
		d2 = max(-1, min(1, d2))
		logA += d1
		b += d2
		if math.Abs(d1) < 1e-9 && math.Abs(d2) < 1e-9 {
			break
		}
	}
	return logA, b
}

// standardErrors fills the estimates and their SEs from the cross-product
// of each person's score vector (the empirical information of the marginal
// likelihood, item by item) plus the priors' information. Unlike the
// M-step's complete-data information it accounts for the uncertainty on
// each person's ability.
func standardErrors(res *Calibration, persons [][]Observation, logA, b, lp, lq, nodes, weights []float64, opts CalibrationOptions) {
	q := len(nodes)
	items := len(logA)
	info := make([]float64, 3*items) // per item: αα, αb, bb
	post := make([]float64, q)
	for _, answers := range persons {
		personPosterior(post, answers, lp, lq, weights)
		for _, o := range answers {
			a := math.Exp(logA[o.Item])
			x := 0.0
			if o.Correct {
				x = 1
			}
			var sA, sB float64
			for k, w := range post {
				p := math.Exp(lp[o.Item*q+k])
				resid := x - p
				sA += w * resid * (nodes[k] - b[o.Item]) * a
				sB += w * resid * -a
			}
			info[3*o.Item] += sA * sA
			info[3*o.Item+1] += sA * sB
			info[3*o.Item+2] += sB * sB
		}
	}
	for i := range res.Items {
		a := math.Exp(logA[i])
		h11 := info[3*i] + 1/(opts.LogASD*opts.LogASD)
		h12 := info[3*i+1]
		h22 := info[3*i+2] + 1/(opts.BSD*opts.BSD)
		det := h11*h22 - h12*h12
		varLogA, varB := 1/h11, 1/h22
		if det > 0 {
			varLogA, varB = h22/det, h11/det
		}
		res.Items[i].A = a
		res.Items[i].B = b[i]
		res.Items[i].SEA = a * math.Sqrt(varLogA) // delta method
		res.Items[i].SEB = math.Sqrt(varB)
	}
}

// startValues counts each item's answers and returns the EM's starting
// point: a at the prior's centre, b from the proportion correct (b ≈
// −logit(p), shrunk a little so that all-correct items do not start at
// infinity, and kept within ±4).
func startValues(items int, obs []Observation, opts CalibrationOptions) ([]ItemCalibration, []float64, []float64) {
	counts := make([]ItemCalibration, items)
	logA := make([]float64, items)
	b := make([]float64, items)
	for _, o := range obs {
		counts[o.Item].N++
		if o.Correct {
			counts[o.Item].Correct++
		}
	}
	for i, it := range counts {
		logA[i], b[i] = opts.LogAMean, opts.BMean
		if it.N > 0 {
			p := (float64(it.Correct) + 0.5) / (float64(it.N) + 1)
			b[i] = max(-4, min(4, -math.Log(p/(1-p))))
		}
	}
	return counts, logA, b
}
