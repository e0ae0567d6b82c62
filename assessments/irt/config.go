package irt

import (
	"fmt"
	"math"
)

// Estimator chooses how the global ability is read off the posterior.
type Estimator int

const (
	// EAP is the posterior mean: the smallest mean squared error when the
	// prior matches the population, and always defined.
	EAP Estimator = iota
	// MAP is the posterior mode, refined between grid points, with the SE
	// from the curvature of the log posterior.
	MAP
)

// Selection chooses how the next item is picked within the allowed pool.
type Selection int

const (
	// MaxInformation picks among the TopK items of highest Fisher
	// information at the current estimate.
	MaxInformation Selection = iota
	// RandomSelection picks uniformly among the allowed items: the
	// baseline that shows what adaptivity buys.
	RandomSelection
)

// TieBreak decides among the competences Kingsbury–Zara leaves tied (all
// equally far below their share), which is most of the time: at the start
// of every round through the competences, all of them are.
type TieBreak int

const (
	// TieProposals lets each tied competence propose an item, drawn among
	// its own TopK best, and draws the item to give among the TopK most
	// informative proposals. Randomising inside each competence keeps
	// similar people from sharing items; ranking the proposals sends the
	// test to the competences that have a good item for this person now.
	TieProposals TieBreak = iota
	// TieRandom draws one tied competence uniformly, then its randomesque
	// item: the classic procedure, the lowest overlap, the least
	// information.
	TieRandom
	// TiePooled draws among the TopK most informative items of all tied
	// competences together: the most information, the highest overlap.
	TiePooled
)

// Config is everything that decides how a test runs. It is a value: copy
// a preset, change a field, pass it to NewEngine.
type Config struct {
	// Name labels the configuration in results and logs.
	Name string
	// Grid holds the posterior.
	Grid Grid
	// PriorMean and PriorSD define the N(mean, sd²) ability prior.
	PriorMean, PriorSD float64
	// Estimator reads the global ability off the posterior.
	Estimator Estimator
	// MovingPriorVariance, when > 0, replaces the fixed prior by PIX's
	// flash prior: at every answer a N(previous estimate, variance) prior
	// times the likelihood of all answers so far. Kept only to reproduce
	// the PIX baseline: it counts earlier answers twice and makes the SE
	// overconfident.
	MovingPriorVariance float64
	// Start is the ability at which the first item is chosen (and the
	// centre of the first moving prior).
	Start float64
	// StepLimit, when > 0, limits how far the global estimate may move on
	// one answer, as PIX's variationPercent does: by at most StepLimit
	// while the previous estimate lies within ±StepLimit, else by
	// |previous estimate|·StepLimit. Kept for the PIX baseline.
	StepLimit float64

	// Selection picks the next item.
	Selection Selection
	// TopK is the randomesque pool: the next item is drawn among the TopK
	// most informative allowed items (1 = plain maximum information).
	TopK int
	// TopKWeights, when set, are the draw weights of ranks 1..TopK (PIX
	// uses 0.51/0.25/0.12/0.06/0.06); nil draws uniformly.
	TopKWeights []float64
	// ContentBalancing applies Kingsbury–Zara: the next item comes from
	// the competence furthest below its (equal) target share.
	ContentBalancing bool
	// TieBreak decides among competences tied under content balancing.
	TieBreak TieBreak
	// OnePerTube forbids two items of one tube in a test.
	OnePerTube bool
	// AvoidLastN avoids the competences of the last N answers when another
	// competence is available.
	AvoidLastN int
	// FirstPass, without content balancing, takes each item from a
	// competence not answered yet as long as one with an allowed item is
	// left: PIX's passage through every competence. Content balancing
	// does this by itself.
	FirstPass bool
	// ExposureCap, when > 0, bounds each item's exposure rate through
	// Sympson–Hetter parameters computed by simulation in NewEngine.
	ExposureCap float64
	// ExposureParams are precomputed Sympson–Hetter parameters by item ID
	// (from Engine.ExposureParams of the same bank and config), so that a
	// server restart does not rerun the simulation. Missing IDs get 1.
	ExposureParams map[string]float64
	// ExposureMargin is the share of ExposureCap the Sympson–Hetter
	// parameters aim at; 0 means DefaultExposureMargin. Parameters
	// estimated from data call for CalibratedExposureMargin (see
	// exposure.go).
	ExposureMargin float64
	// ExposureSimulees and ExposureIterations size the Sympson–Hetter
	// simulation; ExposureSeed makes it reproducible.
	ExposureSimulees, ExposureIterations int
	ExposureSeed                         uint64

	// MinLength and MaxLength bound the test length.
	MinLength, MaxLength int
	// SETarget, when > 0, stops the test once the SE of the global
	// estimate is below it (and MinLength is reached); 0 means a fixed
	// length of MaxLength.
	SETarget float64

	// Rho is the engine's higher-order correlation: competence abilities
	// are modelled as N(Rho·θ, 1−Rho²) around the general ability θ, so a
	// competence seen through two answers borrows strength from all the
	// others. 1 makes every competence estimate the global one.
	Rho float64
	// CompetenceFromGlobal reports the global estimate for every
	// competence, as PIX does (kept for the baseline).
	CompetenceFromGlobal bool

	// Scoring turns estimates into a score and levels.
	Scoring Scoring
}

// Validate reports whether the configuration is usable.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("irt: config %q: "+format+": %w", append(append([]any{c.Name}, args...), ErrInvalidInput)...)
	}
	if err := c.Grid.Validate(); err != nil {
		return err
	}
	if !finite(c.PriorMean) || !finite(c.PriorSD) || c.PriorSD <= 0 {
		return bad("prior N(%v, %v²)", c.PriorMean, c.PriorSD)
	}
	if !finite(c.MovingPriorVariance) || c.MovingPriorVariance < 0 {
		return bad("moving prior variance %v", c.MovingPriorVariance)
	}
	if !finite(c.Start) {
		return bad("start %v", c.Start)
	}
	if !finite(c.StepLimit) || c.StepLimit < 0 {
		return bad("step limit %v", c.StepLimit)
	}
	if c.Estimator != EAP && c.Estimator != MAP {
		return bad("estimator %d", c.Estimator)
	}
	if c.Selection != MaxInformation && c.Selection != RandomSelection {
		return bad("selection %d", c.Selection)
	}
	if c.TieBreak < TieProposals || c.TieBreak > TiePooled {
		return bad("tie-break %d", c.TieBreak)
	}
	if c.TopK < 1 || c.TopK > 64 {
		return bad("top-k %d (want 1–64)", c.TopK)
	}
	if c.TopKWeights != nil {
		if len(c.TopKWeights) != c.TopK {
			return bad("%d top-k weights for k=%d", len(c.TopKWeights), c.TopK)
		}
		var sum float64
		for _, w := range c.TopKWeights {
			if !finite(w) || w < 0 {
				return bad("top-k weight %v", w)
			}
			sum += w
		}
		if !(sum > 0) || math.IsInf(sum, 0) {
			return bad("top-k weights sum to %v", sum)
		}
	}
	if c.AvoidLastN < 0 {
		return bad("avoid-last-N %d", c.AvoidLastN)
	}
	if !finite(c.ExposureCap) || c.ExposureCap < 0 || c.ExposureCap > 1 {
		return bad("exposure cap %v", c.ExposureCap)
	}
	if !finite(c.ExposureMargin) || c.ExposureMargin < 0 || c.ExposureMargin > 1 {
		return bad("exposure margin %v", c.ExposureMargin)
	}
	for id, k := range c.ExposureParams {
		if !finite(k) || k < 0 || k > 1 {
			return bad("exposure parameter %v for %q", k, id)
		}
	}
	if c.ExposureSimulees < 0 || c.ExposureIterations < 0 {
		return bad("exposure simulation %d×%d", c.ExposureSimulees, c.ExposureIterations)
	}
	if c.MinLength < 0 || c.MaxLength < 1 || c.MinLength > c.MaxLength {
		return bad("length %d–%d", c.MinLength, c.MaxLength)
	}
	if !finite(c.SETarget) || c.SETarget < 0 {
		return bad("SE target %v", c.SETarget)
	}
	if !finite(c.Rho) || c.Rho < 0 || c.Rho > 1 {
		return bad("rho %v (want 0–1)", c.Rho)
	}
	return c.Scoring.Validate()
}
