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
	// CalibrateFirst, when > 0, first calibrates the item parameters and
	// the higher-order ρ on this many other simulees (same ρ, their own
	// seeded stream) answering CalibrationLength items each in
	// LinkedDesign, then runs the tests on the calibrated values (and the
	// calibrated ρ as Config.Rho) while answers still come from the true
	// ones. Every configuration of one Compare uses the same calibration.
	CalibrateFirst int
	// CalibrationLength is the number of items per calibration simulee;
	// 0 means DefaultCalibrationLength.
	CalibrationLength int
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
	// Seconds is the wall time of the run of this configuration: engine
	// (with its Sympson–Hetter simulation), simulees, tests and figures;
	// the shared calibration is in CalibrationSeconds.
	Seconds float64 `json:"seconds"`
	// EngineSeconds is the part of Seconds spent building the engine.
	EngineSeconds float64 `json:"engine_seconds"`
	// Goroutines is the number of goroutines the run used (always 1).
	Goroutines int `json:"goroutines"`

	// Conditional holds RMSE and bias per θ band of width 0.5 from −3 to 3.
	Conditional []ConditionalBand `json:"conditional"`

	// EngineRho is the engine's higher-order ρ (Config.Rho): the preset's,
	// or the calibrated one with CalibrateFirst.
	EngineRho float64 `json:"engine_rho"`
	// CalibrateFirst is the number of calibration simulees (0: the engine
	// used the true item parameters); the fields below describe that
	// calibration.
	CalibrateFirst       int     `json:"calibrate_first"`
	CalibrationResponses int     `json:"calibration_responses,omitempty"`
	CalibratedRhoSE      float64 `json:"calibrated_rho_se,omitempty"`
	CalibrationRMSEA     float64 `json:"calibration_rmse_a,omitempty"`
	CalibrationRMSEB     float64 `json:"calibration_rmse_b,omitempty"`
	CalibrationSeconds   float64 `json:"calibration_seconds,omitempty"`
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
// bank, simulees, answer draws and (with CalibrateFirst) calibration, so
// their figures compare pair by pair. Progress counts the tests of all
// runs together.
func Compare(opts SimulationOptions, configs []string) ([]*SimulationResult, error) {
	cfgs := make([]Config, len(configs))
	for i, name := range configs {
		c, err := Preset(name)
		if err != nil {
			return nil, err
		}
		cfgs[i] = c
	}
	in, err := prepareSimulation(opts)
	if err != nil {
		return nil, err
	}
	out := make([]*SimulationResult, 0, len(configs))
	progress := opts.Progress
	for i, cfg := range cfgs {
		o := opts
		o.Config = cfg.Name
		if progress != nil {
			o.Progress = func(done, total int) { progress(i*total+done, len(configs)*total) }
		}
		r, err := in.run(o, cfg)
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
	in, err := prepareSimulation(opts)
	if err != nil {
		return nil, err
	}
	return in.run(opts, cfg)
}

// simulationInputs is what every configuration of one comparison shares:
// the true bank, the bank the engine sees, and the calibration if any.
type simulationInputs struct {
	truth, engineItems []Item
	cal                *firstCalibration
	margin             float64 // exposure margin with calibrated parameters
}

func prepareSimulation(opts SimulationOptions) (*simulationInputs, error) {
	if opts.Simulees < 1 || opts.CalibrateFirst < 0 || opts.CalibrateFirst > 10_000_000 || opts.CalibrationLength < 0 {
		return nil, fmt.Errorf("irt: %d simulees, calibration on %d × %d: %w", opts.Simulees, opts.CalibrateFirst, opts.CalibrationLength, ErrInvalidInput)
	}
	if !finite(opts.Rho) || opts.Rho < -1 || opts.Rho > 1 {
		return nil, fmt.Errorf("irt: rho %v: %w", opts.Rho, ErrInvalidInput)
	}
	items, err := GenerateBank(opts.Bank, opts.Seed)
	if err != nil {
		return nil, err
	}
	in := &simulationInputs{truth: items, engineItems: items, margin: CalibratedExposureMargin}
	if opts.CalibrateFirst > 0 {
		in.cal, err = calibrateFirst(items, opts.CalibrateFirst, opts.CalibrationLength, opts.Rho, opts.Seed)
		if err != nil {
			return nil, err
		}
		in.engineItems = in.cal.items
	}
	return in, nil
}

// run builds the engine for cfg and runs every simulee's test.
func (in *simulationInputs) run(opts SimulationOptions, cfg Config) (*SimulationResult, error) {
	start := time.Now()
	if cfg.ExposureSeed == 0 {
		cfg.ExposureSeed = mixSeed(opts.Seed, streamExposure)
	}
	if in.cal != nil {
		cfg.Rho = in.cal.rho
		if cfg.ExposureMargin == 0 {
			cfg.ExposureMargin = in.margin
		}
	}
	eng, err := NewEngine(in.engineItems, cfg)
	if err != nil {
		return nil, err
	}
	engineSeconds := time.Since(start).Seconds()
	sims, err := GenerateSimulees(opts.Simulees, len(eng.competences), opts.Rho, opts.Seed)
	if err != nil {
		return nil, err
	}
	run := newSimulationRun(eng, in.truth, len(sims))
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
	res.EngineRho = cfg.Rho
	if c := in.cal; c != nil {
		res.CalibrateFirst = opts.CalibrateFirst
		res.CalibrationResponses = c.responses
		res.CalibratedRhoSE = c.rhoSE
		res.CalibrationRMSEA, res.CalibrationRMSEB = c.rmseA, c.rmseB
		res.CalibrationSeconds = c.seconds
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// simulationRun accumulates what the figures need, test after test.
type simulationRun struct {
	e        *Engine
	truth    []Item // the parameters answers come from
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

func newSimulationRun(e *Engine, truth []Item, n int) *simulationRun {
	t := &Test{e: e}
	t.pcg, t.rng = newPCG()
	pcg, rng := newPCG()
	nc := len(e.competences)
	return &simulationRun{
		e: e, truth: truth, t: t, respPCG: pcg, respRand: rng,
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
		it := &r.truth[item]
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
	if e.cfg.ContentBalancing && r.violated() {
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
