package irt

import (
	"fmt"
	"math"
)

// Defaults of the Sympson–Hetter simulation: enough simulated tests that
// the selection rate of an item near the cap is known to about ±0.01,
// repeated until the parameters settle.
const (
	defaultExposureSimulees   = 2000
	defaultExposureIterations = 12
)

// DefaultExposureMargin scales the cap the parameters aim at. Sympson–Hetter
// meets its target on average, and observed exposure rates scatter around
// it (a standard deviation of 0.004 at 0.20 over 10,000 tests; the largest
// of fifty items at the cap lands two or three of those above it), so
// aiming 5 % below the cap is what keeps the observed maximum under it.
const DefaultExposureMargin = 0.95

// CalibratedExposureMargin is the margin for item parameters estimated
// from data rather than known. The simulation that sets the parameters
// can only use the estimates, so it is wrong wherever they are: the most
// informative items are the ones whose discrimination was most
// overestimated, people answer them less consistently than the simulation
// assumes, and their estimates wander toward those items more often. With
// 80 answers per item (RMSE of a and b ≈ 0.3), B2's largest exposure came
// out about 20 % above the simulated target (0.204 against 0.17). Aiming
// 25 % below the cap absorbs it.
const CalibratedExposureMargin = 0.75

// buildExposure sets each item's Sympson–Hetter parameter: the probability
// that the item is actually given once selection picks it. They are
// computed here, by simulation, for each content version, so that
// production needs no shared exposure counters: each test draws against
// fixed parameters.
func (e *Engine) buildExposure(given map[string]float64) error {
	e.exposure = make([]float64, len(e.items))
	for i := range e.exposure {
		e.exposure[i] = 1
	}
	if e.cfg.ExposureCap <= 0 || e.cfg.ExposureCap >= 1 {
		return nil
	}
	if given != nil {
		for id, k := range given {
			i, ok := e.byID[id]
			if !ok {
				return fmt.Errorf("irt: exposure parameter for unknown item %q: %w", id, ErrInvalidInput)
			}
			e.exposure[i] = k
		}
		return nil
	}
	e.simulateExposure()
	return nil
}

// exposureTightenings is the number of final passes that only lower
// parameters (see simulateExposure).
const exposureTightenings = 3

// simulateExposure runs the classic Sympson–Hetter iterations: simulate
// tests of people drawn from the engine's model (the prior, and the
// higher-order ρ for competences) with the current parameters, count
// how often selection picks each item (P(S)), and set k = cap / P(S) for
// items picked more often than the cap, 1 for the others (the published
// rule). Lowering one item's k sends its selections to its neighbours, and
// the plain rule then oscillates: an item reset to 1 in the last iteration
// can come out above the cap. So the iterations end with a few tightening
// passes that only ever lower k, by the ratio of the observed exposure
// P(A) to the cap, which converges from above.
func (e *Engine) simulateExposure() {
	sims := e.cfg.ExposureSimulees
	if sims == 0 {
		sims = defaultExposureSimulees
	}
	iters := e.cfg.ExposureIterations
	if iters == 0 {
		iters = defaultExposureIterations
	}
	n := len(e.items)
	selected := make([]int32, n)
	given := make([]int32, n)
	t := &Test{e: e}
	t.pcg, t.rng = newPCG()
	respRng := newRand(mixSeed(e.cfg.ExposureSeed, streamExposure))
	devRng := newRand(mixSeed(e.cfg.ExposureSeed, streamExposure, streamCompetences))
	// The simulated people follow the engine's own model: θ ~ N(prior),
	// each competence θ_c = ρθ + √(1−ρ²)·ε_c. Tuned on unidimensional
	// people, the parameters let items through more often than they
	// should once competences differ.
	rho := e.cfg.Rho
	if e.cfg.CompetenceFromGlobal {
		rho = 1
	}
	resid := math.Sqrt(max(0, 1-rho*rho))
	compTheta := make([]float64, len(e.competences))
	margin := e.cfg.ExposureMargin
	if margin == 0 {
		margin = DefaultExposureMargin
	}
	capRate := e.cfg.ExposureCap * margin
	for it := range iters + exposureTightenings {
		clear(selected)
		clear(given)
		for s := range sims {
			t.reset(TestOptions{Seed: mixSeed(e.cfg.ExposureSeed, streamTests, uint64(it), uint64(s))})
			t.selected = selected
			theta := e.cfg.PriorMean + e.cfg.PriorSD*respRng.NormFloat64()
			for c := range compTheta {
				compTheta[c] = theta
				if resid > 0 {
					compTheta[c] = e.cfg.PriorMean + rho*(theta-e.cfg.PriorMean) + e.cfg.PriorSD*resid*devRng.NormFloat64()
				}
			}
			for {
				item, ok := t.Next()
				if !ok {
					break
				}
				x := &e.items[item]
				t.record(item, respRng.Float64() < Probability(x.A, x.B, compTheta[e.comp[item]]))
				given[item]++
			}
		}
		for i := range e.exposure {
			if it < iters {
				ps := float64(selected[i]) / float64(sims)
				e.exposure[i] = 1
				if ps > capRate {
					e.exposure[i] = capRate / ps
				}
				continue
			}
			if pa := float64(given[i]) / float64(sims); pa > capRate {
				e.exposure[i] *= capRate / pa
			}
		}
	}
}
