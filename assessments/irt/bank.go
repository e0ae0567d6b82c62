package irt

import (
	"fmt"
	"math"
)

// BankSpec describes a simulated item bank (shared/simulation.md).
type BankSpec struct {
	// Name is B1, B2, B3 or a custom label.
	Name string `json:"name"`
	// Items is the bank size.
	Items int `json:"items"`
	// Competences splits the bank into this many competences of (nearly)
	// equal size.
	Competences int `json:"competences"`
	// TubesPerCompetence splits each competence into tubes; 0 makes every
	// item its own tube.
	TubesPerCompetence int `json:"tubes_per_competence"`
	// AMean, ASD: a ~ N(AMean, ASD²) truncated below at MinA.
	AMean float64 `json:"a_mean"`
	ASD   float64 `json:"a_sd"`
	// BMean, BSD: b ~ N(BMean, BSD²).
	BMean float64 `json:"b_mean"`
	BSD   float64 `json:"b_sd"`
}

// MinA is the truncation point of simulated discriminations (catsim's
// generator, after Barrada 2010).
const MinA = 0.3

// BankPreset returns B1 (300 items, one competence, one item per tube),
// B2 (1000 items in 16 competences of 4 tubes) or B3 (3000 items shaped
// like B2), with a ~ N(1.2, 0.25) and b ~ N(0, 1).
func BankPreset(name string) (BankSpec, error) {
	s := BankSpec{Name: name, AMean: 1.2, ASD: 0.25, BMean: 0, BSD: 1}
	switch name {
	case "B1":
		s.Items, s.Competences, s.TubesPerCompetence = 300, 1, 0
	case "B2":
		s.Items, s.Competences, s.TubesPerCompetence = 1000, 16, 4
	case "B3":
		s.Items, s.Competences, s.TubesPerCompetence = 3000, 16, 4
	default:
		return BankSpec{}, fmt.Errorf("irt: unknown bank %q (want B1, B2 or B3): %w", name, ErrInvalidInput)
	}
	return s, nil
}

// Validate reports whether the spec can generate a bank.
func (s BankSpec) Validate() error {
	switch {
	case s.Items < 1 || s.Items > 1_000_000:
		return fmt.Errorf("irt: bank of %d items: %w", s.Items, ErrInvalidInput)
	case s.Competences < 1 || s.Competences > s.Items:
		return fmt.Errorf("irt: %d competences for %d items: %w", s.Competences, s.Items, ErrInvalidInput)
	case s.TubesPerCompetence < 0 || s.TubesPerCompetence*s.Competences > s.Items:
		return fmt.Errorf("irt: %d tubes per competence: %w", s.TubesPerCompetence, ErrInvalidInput)
	case !finite(s.AMean) || !finite(s.ASD) || s.ASD < 0 || !finite(s.BMean) || !finite(s.BSD) || s.BSD < 0:
		return fmt.Errorf("irt: bank parameters a~N(%v,%v) b~N(%v,%v): %w", s.AMean, s.ASD, s.BMean, s.BSD, ErrInvalidInput)
	}
	return nil
}

// GenerateBank draws a bank from its spec. It depends only on the spec and
// the seed, so every configuration run with one seed faces the same items.
// Competence c holds a contiguous block of items (the first Items mod
// Competences blocks one item larger), split into tubes the same way.
func GenerateBank(spec BankSpec, seed uint64) ([]Item, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	rng := newRand(mixSeed(seed, streamBank))
	items := make([]Item, spec.Items)
	for i := range items {
		items[i].A = truncatedNormal(rng.NormFloat64, spec.AMean, spec.ASD, MinA)
		items[i].B = spec.BMean + spec.BSD*rng.NormFloat64()
	}
	width := len(fmt.Sprint(spec.Items))
	for c, blk := range blocks(spec.Items, spec.Competences) {
		comp := fmt.Sprintf("c%02d", c+1)
		tubes := []span{blk}
		if spec.TubesPerCompetence > 0 {
			tubes = nil
			for _, tb := range blocks(blk.end-blk.start, spec.TubesPerCompetence) {
				tubes = append(tubes, span{blk.start + tb.start, blk.start + tb.end})
			}
		}
		for t, tb := range tubes {
			for i := tb.start; i < tb.end; i++ {
				items[i].ID = fmt.Sprintf("i%0*d", width, i+1)
				items[i].Competence = comp
				if spec.TubesPerCompetence > 0 {
					items[i].Tube = fmt.Sprintf("%s-t%d", comp, t+1)
				}
			}
		}
	}
	return items, nil
}

// blocks splits n into k contiguous spans whose sizes differ by at most
// one, the larger first.
func blocks(n, k int) []span {
	out := make([]span, k)
	start := 0
	for i := range out {
		size := n / k
		if i < n%k {
			size++
		}
		out[i] = span{start, start + size}
		start += size
	}
	return out
}

// truncatedNormal draws N(mean, sd²) conditioned on ≥ floor by rejection,
// giving up after many tries (a mean far below the floor) at the floor
// itself rather than looping forever.
func truncatedNormal(norm func() float64, mean, sd, floor float64) float64 {
	for range 10_000 {
		x := mean + sd*norm()
		if x >= floor {
			return x
		}
	}
	return math.Max(floor, mean)
}
