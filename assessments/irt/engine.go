package irt

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Engine is an item bank compiled for one Config: validated items,
// probability and information tables on the grid, the Sympson–Hetter
// exposure parameters. It is immutable once built and safe for concurrent
// use by any number of Tests.
type Engine struct {
	cfg   Config
	items []Item
	byID  map[string]int

	nodes []float64 // grid points
	prior []float64 // fixed prior as quadrature weights
	g     int       // number of grid points

	// p and q hold P and 1−P for item i at grid point k at [i*g+k]: an
	// answer updates the posterior with one contiguous row.
	p, q []float64

	comp        []int32 // competence index of each item
	tube        []int32 // tube index of each item
	locale      []int32 // 0: any locale
	accessible  []bool
	retired     []bool
	competences []string
	compSize    []int // items per competence
	tubes       int
	locales     map[string]int32

	// groups are the pools selection draws from: one per competence with
	// content balancing, else a single pool of the whole bank. rank holds,
	// for grid point k, every group's items sorted by decreasing
	// information at that point, at [k*n+groups[j].start : k*n+groups[j].end]:
	// choosing the most informative allowed item is a walk from the top.
	groups  []span
	groupOf []int32
	rank    []int32
	// info[k*n+i] is item i's Fisher information at grid point k, to merge
	// the rankings of several pools.
	info []float64

	// exposure is each item's Sympson–Hetter probability of being given
	// once selected (1 when exposure is not controlled).
	exposure []float64

	// kernel[i*g+j] is P(θ_c = node j | θ = node i) under the higher-order
	// prior, each row normalised on the grid; nil when competences are read
	// off the global estimate.
	kernel []float64
}

type span struct{ start, end int }

// NewEngine validates the bank and the configuration and builds the
// tables. With an exposure cap and no precomputed parameters it also runs
// the Sympson–Hetter simulation, which takes a fraction of a second for a
// thousand items: build one Engine per content version and keep it.
func NewEngine(items []Item, cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("irt: empty bank: %w", ErrInvalidInput)
	}
	if len(items) > math.MaxInt32 {
		return nil, fmt.Errorf("irt: bank of %d items is too large: %w", len(items), ErrInvalidInput)
	}
	e := &Engine{
		cfg:   cfg,
		items: slices.Clone(items),
		byID:  make(map[string]int, len(items)),
		nodes: cfg.Grid.Nodes(),
		g:     cfg.Grid.Points,
	}
	e.cfg.TopKWeights = slices.Clone(cfg.TopKWeights)
	e.cfg.ExposureParams = nil // the engine keeps its own copy in e.exposure
	for i, it := range e.items {
		if err := it.Validate(); err != nil {
			return nil, err
		}
		if _, dup := e.byID[it.ID]; dup {
			return nil, fmt.Errorf("irt: item ID %q appears twice: %w", it.ID, ErrInvalidInput)
		}
		e.byID[it.ID] = i
	}
	e.prior = normalWeights(make([]float64, 0, e.g), e.nodes, cfg.PriorMean, cfg.PriorSD)
	e.buildLabels()
	e.buildProbabilities()
	e.buildRanks()
	e.buildKernel()
	if err := e.buildExposure(cfg.ExposureParams); err != nil {
		return nil, err
	}
	return e, nil
}

// buildLabels turns competence, tube and locale strings into small
// integers, in order of first appearance, so that a test's bookkeeping is
// a few slices indexed by them.
func (e *Engine) buildLabels() {
	n := len(e.items)
	e.comp = make([]int32, n)
	e.tube = make([]int32, n)
	e.locale = make([]int32, n)
	e.accessible = make([]bool, n)
	e.retired = make([]bool, n)
	comps := map[string]int32{}
	type tubeKey struct{ comp, tube string }
	tubes := map[tubeKey]int32{}
	e.locales = map[string]int32{}
	for i, it := range e.items {
		c, ok := comps[it.Competence]
		if !ok {
			c = int32(len(e.competences))
			comps[it.Competence] = c
			e.competences = append(e.competences, it.Competence)
			e.compSize = append(e.compSize, 0)
		}
		e.comp[i] = c
		e.compSize[c]++
		if it.Tube == "" {
			// Its own tube: the ID is unique, and the NUL cannot collide
			// with a real tube label.
			e.tube[i] = int32(len(tubes))
			tubes[tubeKey{it.Competence, "\x00" + it.ID}] = e.tube[i]
		} else {
			t, ok := tubes[tubeKey{it.Competence, it.Tube}]
			if !ok {
				t = int32(len(tubes))
				tubes[tubeKey{it.Competence, it.Tube}] = t
			}
			e.tube[i] = t
		}
		if it.Locale != "" {
			l, ok := e.locales[it.Locale]
			if !ok {
				l = int32(len(e.locales) + 1)
				e.locales[it.Locale] = l
			}
			e.locale[i] = l
		}
		e.accessible[i] = it.Accessible
		e.retired[i] = it.Retired
	}
	e.tubes = len(tubes)
}

func (e *Engine) buildProbabilities() {
	n, g := len(e.items), e.g
	e.p = make([]float64, n*g)
	e.q = make([]float64, n*g)
	for i, it := range e.items {
		row := i * g
		for k, x := range e.nodes {
			e.p[row+k], e.q[row+k] = tableProbabilities(it.A, it.B, x)
		}
	}
}

// buildRanks sorts each selection pool by information at every grid
// point. Information comes from the clamped table probabilities, so even
// absurd discriminations give finite (possibly +Inf) values that sort.
func (e *Engine) buildRanks() {
	n, g := len(e.items), e.g
	e.groupOf = make([]int32, n)
	var members [][]int32
	if e.cfg.ContentBalancing {
		members = make([][]int32, len(e.competences))
		for i := range e.items {
			members[e.comp[i]] = append(members[e.comp[i]], int32(i))
			e.groupOf[i] = e.comp[i]
		}
	} else {
		all := make([]int32, n)
		for i := range all {
			all[i] = int32(i)
		}
		members = [][]int32{all}
	}
	e.groups = make([]span, len(members))
	start := 0
	for j, m := range members {
		e.groups[j] = span{start, start + len(m)}
		start += len(m)
	}
	if e.cfg.Selection == RandomSelection {
		// Random selection never reads the ranking: keep one row, in bank
		// order, as the list of each group's members.
		e.rank = make([]int32, 0, n)
		for _, m := range members {
			e.rank = append(e.rank, m...)
		}
		return
	}
	e.rank = make([]int32, g*n)
	e.info = make([]float64, g*n)
	for k := range g {
		info := e.info[k*n : (k+1)*n]
		for i, it := range e.items {
			p := e.p[i*g+k]
			info[i] = it.A * it.A * p * e.q[i*g+k]
		}
		row := e.rank[k*n : (k+1)*n]
		for j, m := range members {
			dst := row[e.groups[j].start:e.groups[j].end]
			copy(dst, m)
			slices.SortFunc(dst, func(x, y int32) int {
				if c := cmp.Compare(info[y], info[x]); c != 0 {
					return c
				}
				return cmp.Compare(x, y) // ties in bank order: deterministic
			})
		}
	}
}

// rhoAsOne is how close to 1 the higher-order correlation may come before
// competences are simply given the global estimate: the kernel's SD
// √(1−ρ²) would otherwise be far below the grid step.
const rhoAsOne = 1e-6

func (e *Engine) buildKernel() {
	rho := e.cfg.Rho
	if e.cfg.CompetenceFromGlobal || 1-rho*rho < rhoAsOne {
		return
	}
	g := e.g
	e.kernel = make([]float64, g*g)
	sd := math.Sqrt(1 - rho*rho)
	for i, x := range e.nodes {
		normalWeights(e.kernel[i*g:i*g:(i+1)*g], e.nodes, rho*x, sd)
	}
}

// Config returns the configuration the engine was built with.
func (e *Engine) Config() Config {
	c := e.cfg
	c.TopKWeights = slices.Clone(c.TopKWeights)
	c.ExposureParams = e.ExposureParams()
	return c
}

// Len returns the number of items in the bank.
func (e *Engine) Len() int { return len(e.items) }

// Item returns item i, in the order the bank was given.
func (e *Engine) Item(i int) Item { return e.items[i] }

// Index returns the position of the item with this ID.
func (e *Engine) Index(id string) (int, bool) {
	i, ok := e.byID[id]
	return i, ok
}

// Competences returns the competence labels in order of first appearance;
// Estimates lists competences in this order.
func (e *Engine) Competences() []string { return slices.Clone(e.competences) }

// ExposureParams returns the Sympson–Hetter parameter of every item whose
// exposure is controlled (below 1), by ID: store it with the content
// version and pass it back through Config.ExposureParams.
func (e *Engine) ExposureParams() map[string]float64 {
	m := map[string]float64{}
	for i, k := range e.exposure {
		if k < 1 {
			m[e.items[i].ID] = k
		}
	}
	return m
}
