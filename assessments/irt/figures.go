package irt

import (
	"math"
	"slices"
)

// Conditional bands: width 0.5 from −3 to 3.
const (
	bandFrom  = -3.0
	bandWidth = 0.5
	bandCount = 12
)

// figures turns the accumulated run into the figures of
// shared/simulation.md.
func (r *simulationRun) figures(sims []Simulee) *SimulationResult {
	e := r.e
	n := float64(len(sims))
	res := &SimulationResult{}

	// Global accuracy against θ.
	var se, sb float64
	truth := make([]float64, len(sims))
	for s, sim := range sims {
		d := r.thetaHat[s] - sim.Theta
		se += d * d
		sb += d
		truth[s] = sim.Theta
	}
	res.RMSE = math.Sqrt(se / n)
	res.Bias = sb / n
	res.R = pearson(r.thetaHat, truth)

	res.MeanLength, res.SDLength, res.PctMaxLength = lengthFigures(r.length, e.cfg.MaxLength)
	res.MaxExposure, res.UnusedItemsPct, res.Overlap = exposureFigures(r.exposure, len(sims), res.MeanLength)
	res.ContentViolations = r.violations

	// Competences against θ_c, levels with the simulation's cut points.
	levels := SimulationScoring()
	nc := len(e.competences)
	var ce float64
	exact, within := 0, 0
	for s, sim := range sims {
		for c := range nc {
			est, tru := r.compTheta[s*nc+c], sim.Competences[c]
			d := est - tru
			ce += d * d
			dl := levels.Level(est) - levels.Level(tru)
			if dl == 0 {
				exact++
			}
			if dl >= -1 && dl <= 1 {
				within++
			}
		}
	}
	pairs := n * float64(nc)
	res.CompetenceRMSE = math.Sqrt(ce / pairs)
	res.CompetenceLevelExactPct = 100 * float64(exact) / pairs
	res.CompetenceLevelWithin1Pct = 100 * float64(within) / pairs

	// Speed.
	res.NsPerSelectionP50 = percentile(r.selectionNs, 0.50)
	res.NsPerSelectionP99 = percentile(r.selectionNs, 0.99)
	res.NsPerUpdateP50 = percentile(r.updateNs, 0.50)

	res.Conditional = conditional(r.thetaHat, sims)
	return res
}

// lengthFigures returns the mean and SD (population) of the test lengths
// and the percentage of tests that reached maxLength.
func lengthFigures(lengths []int, maxLength int) (mean, sd, pctMax float64) {
	n := float64(len(lengths))
	if n == 0 {
		return 0, 0, 0
	}
	var sl, sl2 float64
	atMax := 0
	for _, l := range lengths {
		sl += float64(l)
		sl2 += float64(l) * float64(l)
		if l >= maxLength {
			atMax++
		}
	}
	mean = sl / n
	sd = math.Sqrt(math.Max(0, sl2/n-mean*mean))
	return mean, sd, 100 * float64(atMax) / n
}

// exposureFigures returns, from the number of tests that gave each item
// out of tests, the largest exposure rate, the percentage of items never
// given, and Barrada's test overlap rate T = (n / L̄)·S²(rates) + L̄ / n
// (catsim's formula; S² is the population variance of the rates over the
// n items of the bank, L̄ the mean test length).
func exposureFigures(given []int32, tests int, meanLength float64) (maxRate, unusedPct, overlap float64) {
	nItems := float64(len(given))
	if nItems == 0 || tests == 0 {
		return 0, 0, 0
	}
	var sumRate, sumRate2 float64
	unused := 0
	for _, c := range given {
		rate := float64(c) / float64(tests)
		maxRate = math.Max(maxRate, rate)
		sumRate += rate
		sumRate2 += rate * rate
		if c == 0 {
			unused++
		}
	}
	meanRate := sumRate / nItems
	varRate := math.Max(0, sumRate2/nItems-meanRate*meanRate)
	if meanLength > 0 {
		overlap = nItems/meanLength*varRate + meanLength/nItems
	}
	return maxRate, 100 * float64(unused) / nItems, overlap
}

func conditional(est []float64, sims []Simulee) []ConditionalBand {
	bands := make([]ConditionalBand, bandCount)
	var se, sb [bandCount]float64
	for i := range bands {
		bands[i].From = bandFrom + float64(i)*bandWidth
		bands[i].To = bands[i].From + bandWidth
	}
	for s, sim := range sims {
		k := int(math.Floor((sim.Theta - bandFrom) / bandWidth))
		if k < 0 || k >= bandCount {
			continue
		}
		d := est[s] - sim.Theta
		bands[k].N++
		se[k] += d * d
		sb[k] += d
	}
	for k := range bands {
		if bands[k].N > 0 {
			bands[k].RMSE = math.Sqrt(se[k] / float64(bands[k].N))
			bands[k].Bias = sb[k] / float64(bands[k].N)
		}
	}
	return bands
}

// pearson returns the correlation of x and y, 0 when either is constant
// (JSON cannot carry the NaN the formula would give).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	if n == 0 {
		return 0
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// percentile returns the q-quantile (nearest rank) of xs, sorting xs.
func percentile(xs []int64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	return float64(xs[max(0, min(i, len(xs)-1))])
}
