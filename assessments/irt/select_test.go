package irt

import (
	"math"
	"testing"
)

// TestSelectionIsBruteForceMaximumInformation checks, at every step of
// many tests, that the item chosen with TopK = 1 and no exposure control
// is one of greatest Fisher information at the grid point nearest the
// estimate among the items the rules allow, each computed from scratch
// over the whole bank: Kingsbury–Zara's least-served competences, one
// item per tube, and (without balancing) PIX's first pass and the
// competences of the last two answers, each dropped when it leaves
// nothing.
func TestSelectionIsBruteForceMaximumInformation(t *testing.T) {
	items := mustBank(t, "B2", 23)
	balanced := mustPreset(t, "C3")
	balanced.TopK, balanced.ExposureCap = 1, 0
	pix := mustPreset(t, "pix-flash")
	pix.TopK, pix.TopKWeights = 1, nil
	plain := mustPreset(t, "C1")
	plain.SETarget, plain.MinLength, plain.MaxLength = 0, 30, 30
	for name, cfg := range map[string]Config{"balanced": balanced, "pix-rules": pix, "plain": plain} {
		t.Run(name, func(t *testing.T) {
			e := mustEngine(t, items, cfg)
			rng := newRand(29)
			for p := range 20 {
				theta := 1.5 * rng.NormFloat64()
				test, _ := e.NewTest(TestOptions{Seed: uint64(p)})
				for step := 0; ; step++ {
					i, ok := test.Next()
					if !ok {
						break
					}
					best := bruteForceBest(e, test)
					got := informationAt(e.Item(i), e.nodes[cfg.Grid.nearest(test.theta)])
					if math.Abs(got-best) > 1e-12 {
						t.Fatalf("test %d step %d: chose item %d with information %.6f, brute force finds %.6f", p, step, i, got, best)
					}
					it := e.Item(i)
					if err := test.Answer(i, rng.Float64() < Probability(it.A, it.B, theta)); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// informationAt is the 2PL Fisher information a²P(1−P), computed directly.
func informationAt(it Item, theta float64) float64 {
	p := Probability(it.A, it.B, theta)
	return it.A * it.A * p * (1 - p)
}

// bruteForceBest returns the greatest information among the items the
// rules allow now, by scanning the bank.
func bruteForceBest(e *Engine, test *Test) float64 {
	cfg := e.cfg
	answered := map[int]bool{}
	tubes := map[string]bool{}
	count := map[string]int{}
	var history []string
	for _, r := range test.Responses() {
		it := e.Item(r.Item)
		answered[r.Item] = true
		tubes[it.Competence+"/"+it.Tube] = true
		count[it.Competence]++
		history = append(history, it.Competence)
	}
	free := func(i int) bool {
		it := e.Item(i)
		return !answered[i] && (!cfg.OnePerTube || it.Tube == "" || !tubes[it.Competence+"/"+it.Tube])
	}
	var allowed []int
	for i := range e.Len() {
		if free(i) {
			allowed = append(allowed, i)
		}
	}
	keep := func(list []int, ok func(Item) bool) []int {
		var out []int
		for _, i := range list {
			if ok(e.Item(i)) {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			return list
		}
		return out
	}
	if cfg.ContentBalancing {
		least := math.MaxInt
		for _, i := range allowed {
			least = min(least, count[e.Item(i).Competence])
		}
		allowed = keep(allowed, func(it Item) bool { return count[it.Competence] == least })
	} else {
		if cfg.FirstPass {
			allowed = keep(allowed, func(it Item) bool { return count[it.Competence] == 0 })
		}
		if cfg.AvoidLastN > 0 {
			recent := map[string]bool{}
			for k := max(0, len(history)-cfg.AvoidLastN); k < len(history); k++ {
				recent[history[k]] = true
			}
			allowed = keep(allowed, func(it Item) bool { return !recent[it.Competence] })
		}
	}
	x := e.nodes[cfg.Grid.nearest(test.theta)]
	best := math.Inf(-1)
	for _, i := range allowed {
		best = max(best, informationAt(e.Item(i), x))
	}
	return best
}
