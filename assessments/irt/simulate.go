package irt

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// SimulationOptions sets up one run of the protocol of
// shared/simulation.md.
type SimulationOptions struct {
	// Bank describes the bank to generate.
	Bank BankSpec
	// Config names a preset (C1, C2, C3, pix-flash, random, default).
	Config string
	// Simulees is the number of simulated people.
	Simulees int
	// Rho is the correlation of the simulees' competence abilities with θ
	// (the data-generating model; the engine's own ρ is in its Config).
	Rho float64
	// Seed fixes the bank, the simulees, their answers and every test's
	// random choices.
	Seed uint64
	// Progress, if set, is called now and then with the number of tests
	// done, from the goroutine running the simulation.
	Progress func(done, total int)
}

// SimulationResult holds every figure of shared/simulation.md for one
// configuration. JSON names are the ones the issue fixes.
type SimulationResult struct {
	Config   string   `json:"config"`
	Bank     BankSpec `json:"bank"`
	Simulees int      `json:"simulees"`
	Rho      float64  `json:"rho"`
	Seed     uint64   `json:"seed"`

	// Global accuracy against θ.
	RMSE float64 `json:"rmse"`
	Bias float64 `json:"bias"`
	R    float64 `json:"r"`

	// Length.
	MeanLength   float64 `json:"mean_length"`
	SDLength     float64 `json:"sd_length"`
	PctMaxLength float64 `json:"pct_max_length"`

	// Item use.
	MaxExposure       float64 `json:"max_exposure"`
	UnusedItemsPct    float64 `json:"unused_items_pct"`
	Overlap           float64 `json:"overlap"`
	ContentViolations int     `json:"content_violations"`

	// Competences against θ_c.
	CompetenceRMSE            float64 `json:"competence_rmse"`
	CompetenceLevelExactPct   float64 `json:"competence_level_exact_pct"`
	CompetenceLevelWithin1Pct float64 `json:"competence_level_within1_pct"`

	// Speed.
	NsPerSelectionP50 float64 `json:"ns_per_selection_p50"`
	NsPerSelectionP99 float64 `json:"ns_per_selection_p99"`
	NsPerUpdateP50    float64 `json:"ns_per_update_p50"`
	// Seconds is the wall time of the whole run: bank, engine (with its
	// Sympson–Hetter simulation), simulees, tests and figures.
	Seconds float64 `json:"seconds"`
	// EngineSeconds is the part of Seconds spent building the engine.
	EngineSeconds float64 `json:"engine_seconds"`
	// Goroutines is the number of goroutines the run used (always 1).
	Goroutines int `json:"goroutines"`

	// Conditional holds RMSE and bias per θ band of width 0.5 from −3 to 3.
	Conditional []ConditionalBand `json:"conditional"`
}

// ConditionalBand is the accuracy for simulees whose θ lies in [From, To).
type ConditionalBand struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	N    int     `json:"n"`
	RMSE float64 `json:"rmse"`
	Bias float64 `json:"bias"`
}

// Simulate runs the named configuration on a generated bank and simulees
// and returns its figures. Everything but the timings depends only on the
// options.
func Simulate(opts SimulationOptions) (*SimulationResult, error) {
	cfg, err := Preset(opts.Config)
	if err != nil {
		return nil, err
	}
	return SimulateConfig(opts, cfg)
}

// Compare runs several configurations with the same options: the same
// bank, simulees and answer draws, so their figures compare pair by pair.
// Progress counts the tests of all runs together.
func Compare(opts SimulationOptions, configs []string) ([]*SimulationResult, error) {
	out := make([]*SimulationResult, 0, len(configs))
	progress := opts.Progress
	for i, name := range configs {
		o := opts
		o.Config = name
		if progress != nil {
			o.Progress = func(done, total int) { progress(i*total+done, len(configs)*total) }
		}
		r, err := Simulate(o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// SimulateConfig is Simulate with an explicit configuration, to measure
// variants that are not presets.
func SimulateConfig(opts SimulationOptions, cfg Config) (*SimulationResult, error) {
	start := time.Now()
	if opts.Simulees < 1 {
		return nil, fmt.Errorf("irt: %d simulees: %w", opts.Simulees, ErrInvalidInput)
	}
	items, err := GenerateBank(opts.Bank, opts.Seed)
	if err != nil {
		return nil, err
	}
	if cfg.ExposureSeed == 0 {
		cfg.ExposureSeed = mixSeed(opts.Seed, streamExposure)
	}
	eng, err := NewEngine(items, cfg)
	if err != nil {
		return nil, err
	}
	engineSeconds := time.Since(start).Seconds()
	sims, err := GenerateSimulees(opts.Simulees, len(eng.competences), opts.Rho, opts.Seed)
	if err != nil {
		return nil, err
	}
	run := newSimulationRun(eng, len(sims))
	for s, sim := range sims {
		if err := run.test(s, sim, opts.Seed); err != nil {
			return nil, err
		}
		if opts.Progress != nil && (s%256 == 255 || s == len(sims)-1) {
			opts.Progress(s+1, len(sims))
		}
	}
	res := run.figures(sims)
	res.Config = cfg.Name
	res.Bank = opts.Bank
	res.Simulees = opts.Simulees
	res.Rho = opts.Rho
	res.Seed = opts.Seed
	res.Goroutines = 1
	res.EngineSeconds = engineSeconds
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// simulationRun accumulates what the figures need, test after test.
type simulationRun struct {
	e        *Engine
	t        *Test
	respPCG  *rand.PCG
	respRand *rand.Rand
	scratch  competenceScratch

	thetaHat    []float64
	length      []int
	exposure    []int32
	tubeCount   []int32
	violations  int
	compTheta   []float64 // per simulee and competence
	compSE      []float64
	selectionNs []int64
	updateNs    []int64
}

func newSimulationRun(e *Engine, n int) *simulationRun {
	t := &Test{e: e}
	t.pcg, t.rng = newPCG()
	pcg, rng := newPCG()
	nc := len(e.competences)
	return &simulationRun{
		e: e, t: t, respPCG: pcg, respRand: rng,
		thetaHat:    make([]float64, n),
		length:      make([]int, n),
		exposure:    make([]int32, len(e.items)),
		tubeCount:   make([]int32, e.tubes),
		compTheta:   make([]float64, n*nc),
		compSE:      make([]float64, n*nc),
		selectionNs: make([]int64, 0, n*min(e.cfg.MaxLength, len(e.items))),
		updateNs:    make([]int64, 0, n*min(e.cfg.MaxLength, len(e.items))),
	}
}

// test runs simulee s's test, timing every selection and update.
func (r *simulationRun) test(s int, sim Simulee, seed uint64) error {
	e, t := r.e, r.t
	t.reset(TestOptions{Seed: mixSeed(seed, streamTests, uint64(s))})
	rs := mixSeed(seed, streamResponses, uint64(s))
	r.respPCG.Seed(rs, splitmix(rs))
	for {
		t0 := time.Now()
		item, ok := t.Next()
		t1 := time.Now()
		if !ok {
			break
		}
		r.selectionNs = append(r.selectionNs, t1.Sub(t0).Nanoseconds())
		it := &e.items[item]
		correct := r.respRand.Float64() < Probability(it.A, it.B, sim.Competences[e.comp[item]])
		t2 := time.Now()
		if err := t.Answer(item, correct); err != nil {
			return fmt.Errorf("irt: simulee %d: %w", s, err)
		}
		r.updateNs = append(r.updateNs, time.Since(t2).Nanoseconds())
	}
	r.thetaHat[s] = t.theta
	r.length[s] = len(t.history)
	nc := len(e.competences)
	t.competenceEstimates(r.compTheta[s*nc:(s+1)*nc], r.compSE[s*nc:(s+1)*nc], &r.scratch)
	if r.violated() {
		r.violations++
	}
	for _, h := range t.history {
		r.exposure[h.Item]++
	}
	return nil
}

// violated reports whether the test just run gave two items of one tube
// or left a competence more than one item away from its balanced share
// (length / competences).
func (r *simulationRun) violated() bool {
	e, t := r.e, r.t
	bad := false
	for _, h := range t.history {
		tb := e.tube[h.Item]
		r.tubeCount[tb]++
		if r.tubeCount[tb] > 1 {
			bad = true
		}
	}
	for _, h := range t.history {
		r.tubeCount[e.tube[h.Item]] = 0
	}
	share := float64(len(t.history)) / float64(len(e.competences))
	for _, n := range t.compCount {
		if d := float64(n) - share; d > 1 || d < -1 {
			bad = true
		}
	}
	return bad
}
