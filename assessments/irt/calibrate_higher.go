package irt

import (
	"fmt"
	"math"
)

// HigherOrderCalibration is the result of CalibrateHigherOrder: the items'
// 2PL parameters on the competence scale and the higher-order correlation
// ρ that the engine's competence estimates need (Config.Rho).
type HigherOrderCalibration struct {
	Calibration
	// Rho is the estimated correlation of each competence's ability with
	// the general ability; RhoSE its standard error (from the curvature
	// of the marginal log likelihood in ρ, 0 when ρ sits at 1).
	Rho   float64 `json:"rho"`
	RhoSE float64 `json:"rho_se"`
}

// CalibrateHigherOrder fits the engine's own model to a sparse list of
// answers: θ ~ N(0,1), each competence's ability θ_c | θ ~ N(ρθ, 1−ρ²),
// answers to an item of competence c a 2PL in θ_c. competence[i] is item
// i's competence index (any non-negative integers); the number of items is
// len(competence).
//
// Item parameters are estimated by marginal maximum likelihood with
// Bock–Aitkin EM as in Calibrate, except that the E-step gives each answer
// the posterior of its own competence's ability, computed exactly on the
// grid from the competence's answers and, through ρ, every other
// competence's answers (the engine's competenceEstimates). Every few EM
// cycles ρ itself is set to the value that maximises the marginal
// likelihood with the items fixed (a golden-section search), so that
// items and ρ climb the same likelihood. With ρ = 1 the model is
// Calibrate's unidimensional one; a unidimensional calibration of data
// with ρ < 1 instead shrinks every discrimination toward the weaker
// relation between competences.
func CalibrateHigherOrder(competence []int, obs []Observation, opts CalibrationOptions) (*HigherOrderCalibration, error) {
	return calibrateHigherOrder(competence, obs, opts, -1)
}

// Rho search bounds and tolerances.
const (
	rhoStart       = 0.8
	rhoStepEvery   = 5     // EM cycles between two ρ updates
	rhoTolerance   = 5e-4  // golden-section bracket width
	rhoSearchWidth = 0.15  // half-width of the bracket around the last ρ
	rhoMin         = 0.05  // below this the model is not worth the name
	hoKernelCut    = 1e-12 // kernel entries below this share of a row are dropped
)

// calibrateHigherOrder fixes ρ at fixedRho when it is in [0, 1].
func calibrateHigherOrder(competence []int, obs []Observation, opts CalibrationOptions, fixedRho float64) (*HigherOrderCalibration, error) {
	items := len(competence)
	if err := validateCalibration(items, obs, opts); err != nil {
		return nil, err
	}
	comps := 0
	for i, c := range competence {
		if c < 0 {
			return nil, fmt.Errorf("irt: item %d has competence %d: %w", i, c, ErrInvalidInput)
		}
		comps = max(comps, c+1)
	}
	if comps < 2 && fixedRho < 0 {
		// One competence: ρ leaves the likelihood unchanged; report the
		// unidimensional model.
		fixedRho = 1
	}
	h := newHigherOrder(competence, comps, obs, opts)
	res := &HigherOrderCalibration{}
	var logA, b []float64
	res.Items, logA, b = startValues(items, obs, opts)
	rho := rhoStart
	if fixedRho >= 0 {
		rho = fixedRho
	}
	h.setRho(rho)
	q := len(h.nodes)
	nExp := make([]float64, items*q)
	rExp := make([]float64, items*q)
	lastRhoMove := math.Inf(1)
	for iter := 1; iter <= opts.MaxIterations; iter++ {
		fillLogTables(h.lp, h.lq, logA, b, h.nodes)
		clear(nExp)
		clear(rExp)
		res.LogLikelihood = h.eStep(nExp, rExp, nil)
		change := 0.0
		var sumLogA float64
		answered := 0
		for i := range items {
			if res.Items[i].N == 0 {
				continue
			}
			na, nb := fitItem(logA[i], b[i], nExp[i*q:(i+1)*q], rExp[i*q:(i+1)*q], h.nodes, opts)
			change = max(change, math.Abs(math.Exp(na)-math.Exp(logA[i])), math.Abs(nb-b[i]))
			logA[i], b[i] = na, nb
			sumLogA += na
			answered++
		}
		if opts.FloatLogAMean && answered > 0 {
			opts.LogAMean = sumLogA / float64(answered)
		}
		res.Iterations = iter
		if fixedRho < 0 && (iter%rhoStepEvery == 0 || change < opts.Tolerance) {
			fillLogTables(h.lp, h.lq, logA, b, h.nodes)
			next := h.maximiseRho(rho)
			lastRhoMove = math.Abs(next - rho)
			rho = next
			h.setRho(rho)
		}
		if change < opts.Tolerance && (fixedRho >= 0 || lastRhoMove < 2*rhoTolerance) {
			res.Converged = true
			break
		}
	}
	fillLogTables(h.lp, h.lq, logA, b, h.nodes)
	res.Rho = rho
	if fixedRho < 0 && rho < 1-rhoTolerance {
		res.RhoSE = h.rhoSE(rho)
	}
	// Standard errors from the cross-product of each answer's score under
	// its competence posterior, as Calibrate does with the global one.
	info := make([]float64, 3*items)
	h.eStep(nil, nil, func(o Observation, post []float64) {
		a := math.Exp(logA[o.Item])
		x := 0.0
		if o.Correct {
			x = 1
		}
		var sA, sB float64
		for k, w := range post {
			p := math.Exp(h.lp[o.Item*q+k])
			sA += w * (x - p) * (h.nodes[k] - b[o.Item]) * a
			sB += w * (x - p) * -a
		}
		info[3*o.Item] += sA * sA
		info[3*o.Item+1] += sA * sB
		info[3*o.Item+2] += sB * sB
	})
	fillItemsWithSE(res.Items, info, logA, b, opts)
	return res, nil
}

// fillItemsWithSE turns per-item information (αα, αb, bb) plus the priors
// into estimates and standard errors.
func fillItemsWithSE(out []ItemCalibration, info, logA, b []float64, opts CalibrationOptions) {
	for i := range out {
		a := math.Exp(logA[i])
		h11 := info[3*i] + 1/(opts.LogASD*opts.LogASD)
		h12 := info[3*i+1]
		h22 := info[3*i+2] + 1/(opts.BSD*opts.BSD)
		det := h11*h22 - h12*h12
		varLogA, varB := 1/h11, 1/h22
		if det > 0 {
			varLogA, varB = h22/det, h11/det
		}
		out[i].A = a
		out[i].B = b[i]
		out[i].SEA = a * math.Sqrt(varLogA)
		out[i].SEB = math.Sqrt(varB)
	}
}

// higherOrder holds what the EM cycles share: each person's answers
// grouped by competence, the grid, the kernel of the current ρ and
// scratch space.
type higherOrder struct {
	persons [][]compAnswers
	nodes   []float64
	logW    []float64 // log N(0,1) quadrature weights
	lp, lq  []float64 // log P and log(1−P), item × node
	comps   int

	identity bool      // ρ = 1: θ_c = θ
	kernel   []float64 // row i: P(θ_c = node j | θ = node i)
	lo, hi   []int     // non-negligible range of each kernel row

	// scratch, per competence of one person
	like, logM []float64
	logH, w    []float64
	prior      []float64
}

// compAnswers is one person's answers in one competence.
type compAnswers struct {
	comp    int
	answers []Observation
}

func newHigherOrder(competence []int, comps int, obs []Observation, opts CalibrationOptions) *higherOrder {
	nodes := opts.Grid.Nodes()
	q := len(nodes)
	h := &higherOrder{
		nodes: nodes,
		logW:  make([]float64, q),
		lp:    make([]float64, len(competence)*q),
		lq:    make([]float64, len(competence)*q),
		comps: comps,
	}
	for k, w := range normalWeights(nil, nodes, 0, 1) {
		h.logW[k] = math.Log(max(w, math.SmallestNonzeroFloat64))
	}
	for _, answers := range groupByPerson(obs) {
		byComp := map[int]int{}
		var groups []compAnswers
		for _, o := range answers {
			c := competence[o.Item]
			j, ok := byComp[c]
			if !ok {
				j = len(groups)
				byComp[c] = j
				groups = append(groups, compAnswers{comp: c})
			}
			groups[j].answers = append(groups[j].answers, o)
		}
		h.persons = append(h.persons, groups)
	}
	maxComps := 0
	for _, p := range h.persons {
		maxComps = max(maxComps, len(p))
	}
	h.like = make([]float64, maxComps*q)
	h.logM = make([]float64, maxComps*q)
	h.logH = make([]float64, q)
	h.w = make([]float64, q)
	h.prior = make([]float64, q)
	h.kernel = make([]float64, q*q)
	h.lo = make([]int, q)
	h.hi = make([]int, q)
	return h
}

// setRho builds the kernel of the higher-order prior for ρ, the same
// discretisation the engine uses (normal weights on the grid, each row
// normalised), trimmed to the entries that matter.
func (h *higherOrder) setRho(rho float64) {
	q := len(h.nodes)
	h.identity = 1-rho*rho < rhoAsOne
	if h.identity {
		return
	}
	sd := math.Sqrt(1 - rho*rho)
	for i, x := range h.nodes {
		row := h.kernel[i*q : (i+1)*q]
		normalWeights(row[:0], h.nodes, rho*x, sd)
		top := 0.0
		for _, v := range row {
			top = max(top, v)
		}
		h.lo[i], h.hi[i] = q, 0
		for j, v := range row {
			if v >= hoKernelCut*top {
				h.lo[i] = min(h.lo[i], j)
				h.hi[i] = j + 1
			}
		}
	}
}

// eStep visits every person once with the current item tables and kernel
// and returns the marginal log likelihood. With nExp and rExp it adds each
// answer's competence posterior to its item's expected counts; with visit
// it hands each answer and that posterior to visit; with neither it only
// computes the likelihood.
func (h *higherOrder) eStep(nExp, rExp []float64, visit func(Observation, []float64)) float64 {
	q := len(h.nodes)
	var total float64
	post := h.prior
	for _, groups := range h.persons {
		copy(h.logH, h.logW)
		var scale float64
		for j, g := range groups {
			like := h.like[j*q : (j+1)*q]
			clear(like)
			for _, o := range g.answers {
				row := h.lp[o.Item*q : (o.Item+1)*q]
				if !o.Correct {
					row = h.lq[o.Item*q : (o.Item+1)*q]
				}
				for k, v := range row {
					like[k] += v
				}
			}
			top := math.Inf(-1)
			for _, v := range like {
				top = max(top, v)
			}
			for k, v := range like {
				like[k] = math.Exp(v - top)
			}
			scale += top
			logM := h.logM[j*q : (j+1)*q]
			if h.identity {
				for k, v := range like {
					logM[k] = math.Log(max(v, math.SmallestNonzeroFloat64))
				}
			} else {
				for i := range q {
					row := h.kernel[i*q : (i+1)*q]
					var m float64
					for k := h.lo[i]; k < h.hi[i]; k++ {
						m += row[k] * like[k]
					}
					logM[i] = math.Log(max(m, math.SmallestNonzeroFloat64))
				}
			}
			for k, v := range logM {
				h.logH[k] += v
			}
		}
		top := math.Inf(-1)
		for _, v := range h.logH {
			top = max(top, v)
		}
		var sum float64
		for _, v := range h.logH {
			sum += math.Exp(v - top)
		}
		total += scale + top + math.Log(sum)
		if nExp == nil && visit == nil {
			continue
		}
		for j, g := range groups {
			like := h.like[j*q : (j+1)*q]
			if h.identity {
				// θ_c = θ: the posterior is the global one.
				for k, v := range h.logH {
					post[k] = math.Exp(v - top)
				}
			} else {
				logM := h.logM[j*q : (j+1)*q]
				wTop := math.Inf(-1)
				for i := range q {
					h.w[i] = h.logH[i] - logM[i]
					wTop = max(wTop, h.w[i])
				}
				clear(post)
				for i := range q {
					wi := math.Exp(h.w[i] - wTop)
					if wi < 1e-13 {
						continue
					}
					row := h.kernel[i*q : (i+1)*q]
					for k := h.lo[i]; k < h.hi[i]; k++ {
						post[k] += wi * row[k]
					}
				}
				for k := range post {
					post[k] *= like[k]
				}
			}
			normalise(post)
			for _, o := range g.answers {
				if visit != nil {
					visit(o, post)
					continue
				}
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
	}
	return total
}

// logLikelihoodAt returns the marginal log likelihood at ρ, items fixed.
func (h *higherOrder) logLikelihoodAt(rho float64) float64 {
	h.setRho(rho)
	return h.eStep(nil, nil, nil)
}

// maximiseRho returns the ρ in [rhoMin, 1] that maximises the marginal
// likelihood with the items fixed, searching a bracket around from (then
// wider if the maximum sits on its edge).
func (h *higherOrder) maximiseRho(from float64) float64 {
	lo, hi := max(rhoMin, from-rhoSearchWidth), min(1, from+rhoSearchWidth)
	for widen := 0; ; widen++ {
		best := goldenMax(h.logLikelihoodAt, lo, hi, rhoTolerance)
		switch {
		case widen == 8:
			return best
		case best-lo < 2*rhoTolerance && lo > rhoMin:
			lo, hi = max(rhoMin, lo-2*rhoSearchWidth), lo+rhoTolerance
		case hi-best < 2*rhoTolerance && hi < 1:
			lo, hi = hi-rhoTolerance, min(1, hi+2*rhoSearchWidth)
		default:
			if hi == 1 && 1-best < 2*rhoTolerance && h.logLikelihoodAt(1) >= h.logLikelihoodAt(best) {
				return 1
			}
			return best
		}
	}
}

// rhoSE is the standard error of ρ from the curvature of the marginal log
// likelihood, items fixed (so a little optimistic).
func (h *higherOrder) rhoSE(rho float64) float64 {
	d := min(0.01, (1-rho)/2)
	f0 := h.logLikelihoodAt(rho)
	fm := h.logLikelihoodAt(rho - d)
	fp := h.logLikelihoodAt(rho + d)
	h.setRho(rho)
	curv := (fp - 2*f0 + fm) / (d * d)
	if !(curv < 0) {
		return 0
	}
	return 1 / math.Sqrt(-curv)
}

// goldenMax maximises a unimodal f on [lo, hi] to within tol.
func goldenMax(f func(float64) float64, lo, hi, tol float64) float64 {
	const r = 0.6180339887498949
	x1, x2 := hi-r*(hi-lo), lo+r*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for hi-lo > tol {
		if f1 < f2 {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + r*(hi-lo)
			f2 = f(x2)
		} else {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - r*(hi-lo)
			f1 = f(x1)
		}
	}
	return (lo + hi) / 2
}
