package irt

import (
	"math"
	"slices"
	"time"
)

// DefaultCalibrationLength is the number of items each simulee answers in
// the calibration that SimulationOptions.CalibrateFirst runs.
const DefaultCalibrationLength = 40

// firstCalibration is what a simulation calibrates before its tests: the
// item parameters and ρ, from answers to the true parameters.
type firstCalibration struct {
	items        []Item // the bank with calibrated A and B
	rho, rhoSE   float64
	rmseA, rmseB float64
	responses    int
	seconds      float64
}

// LinkedDesign returns, for each of persons people, the items (indices into
// items) they answer in a fixed linked calibration design of length items
// each: the bank is shuffled within each competence (seeded), laid out
// round-robin over the competences, cut into blocks of length/2
// consecutive items, and person p answers blocks p and p+1 (modulo the
// number of blocks). Every block is answered by the same number of
// people (give or take one), every person sees every competence when
// length/2 is at least the number of competences, and consecutive blocks
// share people, which links the whole bank.
func LinkedDesign(items []Item, persons, length int, seed uint64) [][]int {
	n := len(items)
	if n == 0 || persons < 1 || length < 1 {
		return nil
	}
	length = min(length, n)
	var byComp [][]int
	index := map[string]int{}
	for i, it := range items {
		c, ok := index[it.Competence]
		if !ok {
			c = len(byComp)
			index[it.Competence] = c
			byComp = append(byComp, nil)
		}
		byComp[c] = append(byComp[c], i)
	}
	rng := newRand(mixSeed(seed, streamCalibration, streamBank))
	for _, m := range byComp {
		rng.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
	}
	order := make([]int, 0, n)
	for k := 0; len(order) < n; k++ {
		for _, m := range byComp {
			if k < len(m) {
				order = append(order, m[k])
			}
		}
	}
	// Blocks of half consecutive items in the cyclic order (the last one
	// wraps round to the start), so that two consecutive blocks never
	// share an item and everyone answers exactly length items.
	half := max(1, length/2)
	blocks := (n + half - 1) / half
	out := make([][]int, persons)
	for p := range out {
		list := make([]int, 0, length)
		for b := range 2 {
			if b == 1 && blocks == 1 {
				break
			}
			start := ((p + b) % blocks) * half
			for j := range half {
				list = append(list, order[(start+j)%n])
			}
		}
		if len(list) > length { // odd length on a one-block bank
			list = list[:length]
		}
		out[p] = list
	}
	return out
}

// calibrateFirst draws n calibration simulees (their own stream of the
// seed, the data's ρ), has them answer the true items in LinkedDesign,
// and fits the higher-order model to their answers.
func calibrateFirst(truth []Item, n, length int, rho float64, seed uint64) (*firstCalibration, error) {
	start := time.Now()
	comp := make([]int, len(truth))
	index := map[string]int{}
	for i, it := range truth {
		c, ok := index[it.Competence]
		if !ok {
			c = len(index)
			index[it.Competence] = c
		}
		comp[i] = c
	}
	sims, err := GenerateSimulees(n, len(index), rho, mixSeed(seed, streamCalibration))
	if err != nil {
		return nil, err
	}
	if length <= 0 {
		length = DefaultCalibrationLength
	}
	design := LinkedDesign(truth, n, length, seed)
	resp := newRand(mixSeed(seed, streamCalibration, streamResponses))
	obs := make([]Observation, 0, n*length)
	for p, items := range design {
		for _, i := range items {
			it := truth[i]
			obs = append(obs, Observation{Person: p, Item: i, Correct: resp.Float64() < Probability(it.A, it.B, sims[p].Competences[comp[i]])})
		}
	}
	opts := DefaultCalibrationOptions()
	// Moves of a thousandth are far below the standard errors of a
	// few dozen answers per item.
	opts.Tolerance = 1e-3
	opts.FloatLogAMean = true
	cal, err := CalibrateHigherOrder(comp, obs, opts)
	if err != nil {
		return nil, err
	}
	out := &firstCalibration{items: slices.Clone(truth), rho: cal.Rho, rhoSE: cal.RhoSE, responses: len(obs)}
	var sa, sb float64
	for i, c := range cal.Items {
		out.items[i].A, out.items[i].B = c.A, c.B
		sa += (c.A - truth[i].A) * (c.A - truth[i].A)
		sb += (c.B - truth[i].B) * (c.B - truth[i].B)
	}
	out.rmseA = math.Sqrt(sa / float64(len(truth)))
	out.rmseB = math.Sqrt(sb / float64(len(truth)))
	out.seconds = time.Since(start).Seconds()
	return out, nil
}
