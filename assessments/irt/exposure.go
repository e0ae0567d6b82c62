package irt

import "fmt"

// Defaults of the Sympson–Hetter simulation: enough simulated tests that
// the selection rate of an item near the cap is known to about ±0.01,
// repeated until the parameters settle.
const (
	defaultExposureSimulees   = 2000
	defaultExposureIterations = 12
)

// exposureMargin scales the cap the parameters aim at. Sympson–Hetter meets
// its target on average, and observed exposure rates scatter around it (a
// standard deviation of 0.004 at 0.20 over 10,000 tests; the largest of
// fifty items at the cap lands two or three of those above it), so aiming
// 5 % below the cap is what keeps the observed maximum under it.
const exposureMargin = 0.95

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
// tests of people drawn from the prior with the current parameters, count
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
	capRate := e.cfg.ExposureCap * exposureMargin
	for it := range iters + exposureTightenings {
		clear(selected)
		clear(given)
		for s := range sims {
			t.reset(TestOptions{Seed: mixSeed(e.cfg.ExposureSeed, streamTests, uint64(it), uint64(s))})
			t.selected = selected
			theta := e.cfg.PriorMean + e.cfg.PriorSD*respRng.NormFloat64()
			for {
				item, ok := t.Next()
				if !ok {
					break
				}
				x := &e.items[item]
				t.record(item, respRng.Float64() < Probability(x.A, x.B, theta))
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
