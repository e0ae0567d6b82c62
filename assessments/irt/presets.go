package irt

import (
	"fmt"
	"sort"
)

// DefaultRho is the engine's default higher-order correlation between a
// competence and the general ability: strong enough that two answers per
// competence are not left on their own, weak enough that a competence
// clearly above or below the others shows.
const DefaultRho = 0.8

// pixWeights are PIX's draw weights among its five best items
// (binaryTreeRandom with p = 0.51).
var pixWeights = []float64{0.51, 0.25, 0.12, 0.06, 0.06}

// pixVariation is PIX's variationPercent: how far, relatively, its
// estimate may move on one answer.
const pixVariation = 0.5

// PresetNames lists the configurations of shared/simulation.md, then the
// product default.
func PresetNames() []string {
	return []string{"C1", "C2", "C3", "pix-flash", "random", "default"}
}

// Preset returns a named configuration:
//
//   - C1: maximum information, no constraints; SE < 0.30, 5–40 items.
//   - C2: Kingsbury–Zara content balancing, one item per tube,
//     randomesque among the 5 best, exposure cap 0.20; SE < 0.30, 8–32.
//   - C3: C2's constraints at a fixed 32 items.
//   - pix-flash: PIX's flash algorithm on this engine (moving prior of
//     variance 1.5, grid −9..9 with 81 points, start at −3, the estimate's
//     step limited by variation 0.5, weighted top-5, one per tube, a first
//     pass through every competence, never a competence of the last 2
//     answers, 32 items, competences read from the global θ).
//   - random: random items under C2's content constraints, 32 items, EAP.
//   - default: what Ardoise runs in production, C2 plus avoiding the
//     competence of the previous answer.
func Preset(name string) (Config, error) {
	base := Config{
		Name:       name,
		Grid:       StandardGrid(),
		PriorSD:    1,
		Estimator:  EAP,
		Selection:  MaxInformation,
		TopK:       1,
		MinLength:  5,
		MaxLength:  40,
		SETarget:   0.30,
		Rho:        DefaultRho,
		Scoring:    DefaultScoring(),
		OnePerTube: false,
	}
	constrained := func(c Config) Config {
		c.ContentBalancing = true
		c.OnePerTube = true
		c.TopK = 5
		c.ExposureCap = 0.20
		c.MinLength, c.MaxLength = 8, 32
		return c
	}
	switch name {
	case "C1":
		return base, nil
	case "C2":
		return constrained(base), nil
	case "C3":
		c := constrained(base)
		c.MinLength, c.SETarget = 32, 0
		return c, nil
	case "pix-flash":
		c := base
		c.Grid = Grid{Min: -9, Max: 9, Points: 81}
		c.MovingPriorVariance = 1.5
		c.Start = -3
		c.StepLimit = pixVariation
		c.TopK = 5
		c.TopKWeights = append([]float64(nil), pixWeights...)
		c.OnePerTube = true
		c.FirstPass = true
		c.AvoidLastN = 2
		c.MinLength, c.MaxLength, c.SETarget = 32, 32, 0
		c.CompetenceFromGlobal = true
		return c, nil
	case "random":
		c := base
		c.Selection = RandomSelection
		c.ContentBalancing = true
		c.OnePerTube = true
		c.MinLength, c.MaxLength, c.SETarget = 32, 32, 0
		return c, nil
	case "default":
		c := constrained(base)
		c.AvoidLastN = 1
		return c, nil
	}
	names := PresetNames()
	sort.Strings(names)
	return Config{}, fmt.Errorf("irt: unknown configuration %q (want one of %v): %w", name, names, ErrInvalidInput)
}

// DefaultConfig returns the configuration Ardoise runs in production.
func DefaultConfig() Config {
	c, _ := Preset("default")
	return c
}
