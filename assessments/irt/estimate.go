package irt

import "math"

// initialEstimate is the estimate before any answer: the prior's mean and
// SD, or PIX's start point with its moving prior's SD.
func (e *Engine) initialEstimate() (theta, se float64) {
	if e.cfg.MovingPriorVariance > 0 {
		return e.cfg.Start, math.Sqrt(e.cfg.MovingPriorVariance)
	}
	theta, se = summarise(e.nodes, e.prior)
	if e.cfg.Estimator == MAP {
		theta, se = e.mode(e.prior, se)
	}
	return theta, se
}

// update folds one answer into the posterior: one row of the probability
// table times the posterior, a normalisation, then the estimate. This is
// the whole per-answer cost, a few hundred floating-point operations.
func (t *Test) update(item int, correct bool) {
	e := t.e
	g := e.g
	row := e.p[item*g : (item+1)*g]
	if !correct {
		row = e.q[item*g : (item+1)*g]
	}
	if t.compLike != nil {
		c := int(e.comp[item])
		cl := t.compLike[c*g : (c+1)*g]
		for k, v := range row {
			cl[k] *= v
		}
		normalise(cl)
	}
	if e.cfg.MovingPriorVariance > 0 {
		t.updateMoving(row)
		return
	}
	post := t.post
	for k, v := range row {
		post[k] *= v
	}
	normalise(post)
	mean, sd := summarise(e.nodes, post)
	if e.cfg.Estimator == MAP {
		mean, sd = e.mode(post, sd)
	}
	t.theta, t.se = e.limitStep(t.theta, mean), sd
}

// limitStep applies Config.StepLimit (PIX's variationPercent) to a move of
// the estimate from prev to next.
func (e *Engine) limitStep(prev, next float64) float64 {
	v := e.cfg.StepLimit
	if v <= 0 {
		return next
	}
	gap := v
	if prev <= -v || prev >= v {
		gap = math.Abs(prev * v)
	}
	return max(prev-gap, min(prev+gap, next))
}

// updateMoving is PIX's flash update: the likelihood of every answer so
// far times a N(previous estimate, variance) prior. Re-centring the prior
// on an estimate that already used the earlier answers counts them twice;
// it is kept only to reproduce the baseline faithfully.
func (t *Test) updateMoving(row []float64) {
	e := t.e
	like := t.like
	for k, v := range row {
		like[k] *= v
	}
	normalise(like)
	sd := math.Sqrt(e.cfg.MovingPriorVariance)
	post := normalWeights(t.post, e.nodes, t.theta, sd)
	for k := range post {
		post[k] *= like[k]
	}
	normalise(post)
	mean, s := summarise(e.nodes, post)
	if e.cfg.Estimator == MAP {
		mean, s = e.mode(post, s)
	}
	t.theta, t.se = e.limitStep(t.theta, mean), s
}

// mode returns the posterior mode, refined by a parabola through the log
// posterior at the best grid point and its neighbours, and the SE from the
// curvature there. At the edge of the grid, or where the log posterior is
// not concave, it falls back to the best point and fallbackSE.
func (e *Engine) mode(post []float64, fallbackSE float64) (theta, se float64) {
	best := 0
	for k, v := range post {
		if v > post[best] {
			best = k
		}
	}
	theta, se = e.nodes[best], fallbackSE
	if best == 0 || best == len(post)-1 {
		return theta, se
	}
	l0, l1, l2 := math.Log(post[best-1]), math.Log(post[best]), math.Log(post[best+1])
	curv := l0 - 2*l1 + l2
	if !finite(curv) || curv >= 0 {
		return theta, se
	}
	h := e.cfg.Grid.Step()
	theta += h * 0.5 * (l0 - l2) / curv
	return theta, h / math.Sqrt(-curv)
}
