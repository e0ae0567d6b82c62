package assessments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/assessments/irt"
)

// TypeCalibrate is the scheduled task that recalibrates item parameters.
const TypeCalibrate = "assessments:calibrate"

// MinCalibrationAnswers is how many answers an item needs before its
// calibrated parameters replace those derived from its level: below it,
// the estimate is mostly prior and would only add noise.
const MinCalibrationAnswers = 200

// CalibrationReport says what a calibration did.
type CalibrationReport struct {
	Version    string
	Answers    int
	Tests      int
	Items      int // items answered at least once
	Calibrated int // items with enough answers, whose parameters now count
	Converged  bool
	Iterations int
	Rho        float64 // the higher-order correlation the answers show
}

// responseMatrix is the stored answers as the calibration reads them:
// items and tests numbered in order of appearance, each item's
// competence numbered too.
type responseMatrix struct {
	bank       *Bank
	items      map[string]int
	persons    map[string]int
	comps      map[string]int
	ids        []string
	competence []int
	obs        []irt.Observation
}

func newResponseMatrix(bank *Bank) *responseMatrix {
	return &responseMatrix{bank: bank, items: map[string]int{}, persons: map[string]int{}, comps: map[string]int{}}
}

// sample returns the answers of the first n tests (tests are numbered in
// the order the store returns them, which is no particular order).
func (m *responseMatrix) sample(n int) []irt.Observation {
	if len(m.persons) <= n {
		return m.obs
	}
	out := make([]irt.Observation, 0, len(m.obs)*n/len(m.persons)+1)
	for _, o := range m.obs {
		if o.Person < n {
			out = append(out, o)
		}
	}
	return out
}

// add counts one stored answer.
func (m *responseMatrix) add(r response) {
	i, ok := m.items[r.ChallengeID]
	if !ok {
		i = len(m.ids)
		m.items[r.ChallengeID] = i
		m.ids = append(m.ids, r.ChallengeID)
		comp := "?" // a challenge no longer in the content: a competence of its own
		if ch, ok := m.bank.Challenge(r.ChallengeID); ok {
			comp = ch.Framework + "/" + ch.Competence
		}
		c, ok := m.comps[comp]
		if !ok {
			c = len(m.comps)
			m.comps[comp] = c
		}
		m.competence = append(m.competence, c)
	}
	p, ok := m.persons[r.TestID]
	if !ok {
		p = len(m.persons)
		m.persons[r.TestID] = p
	}
	m.obs = append(m.obs, irt.Observation{Person: p, Item: i, Correct: r.Correct})
}

// Calibrate estimates the 2PL parameters of every challenge from the
// answers of finished tests (the responses collection), by marginal
// maximum likelihood, and stores them as a new parameter version. Tests in
// progress keep the version they started with; new tests use the new one.
func (s *Service) Calibrate(ctx context.Context) (*CalibrationReport, error) {
	m := newResponseMatrix(s.current)
	if err := s.store.eachResponse(ctx, m.add); err != nil {
		return nil, err
	}
	rep := &CalibrationReport{Answers: len(m.obs), Tests: len(m.persons), Items: len(m.ids)}
	if len(m.obs) == 0 {
		return rep, nil
	}
	opts := irt.DefaultCalibrationOptions()
	opts.FloatLogAMean = true
	cal, err := irt.CalibrateHigherOrder(m.competence, m.obs, opts)
	if err != nil {
		return nil, fmt.Errorf("assessments: calibrate: %w", err)
	}
	rep.Converged, rep.Iterations, rep.Rho = cal.Converged, cal.Iterations, cal.Rho
	p := &ItemParams{CreatedAt: s.now(), Rho: cal.Rho, RhoSE: cal.RhoSE}
	for i, id := range m.ids {
		c := cal.Items[i]
		if c.N < MinCalibrationAnswers {
			continue
		}
		p.Items = append(p.Items, ItemParam{ID: id, A: c.A, B: c.B, SEA: c.SEA, SEB: c.SEB, N: c.N})
	}
	rep.Calibrated = len(p.Items)
	if rep.Calibrated == 0 {
		return rep, nil
	}
	saved, err := s.saveParamVersion(ctx, p.Items, p.Rho, p.RhoSE)
	if err != nil {
		return nil, err
	}
	rep.Version = saved.Version
	return rep, nil
}

// saveParamVersion stores items as a new parameter version, named by their
// hash, and makes it the one new tests start with.
func (s *Service) saveParamVersion(ctx context.Context, items []ItemParam, rho, rhoSE float64) (*ItemParams, error) {
	p := &ItemParams{Items: items, CreatedAt: s.now(), Rho: rho, RhoSE: rhoSE}
	sortParams(p.Items)
	h := sha256.New()
	if rho > 0 {
		fmt.Fprintf(h, "rho %.4f\n", rho)
	}
	for _, it := range p.Items {
		fmt.Fprintf(h, "%s %.6f %.6f\n", it.ID, it.A, it.B)
	}
	p.Version = "cal-" + hex.EncodeToString(h.Sum(nil))[:12]
	if err := s.store.saveParams(ctx, p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.latestP, s.params[p.Version], s.paramsAt = p, p, time.Now()
	s.mu.Unlock()
	return p, nil
}

// HandleCalibrate runs the weekly calibration: pretest challenges with
// enough answers become scored, and the items report is rewritten
// (CalibratePretest). The launch bank keeps its parameters.
func (s *Service) HandleCalibrate(ctx context.Context, _ *asynq.Task) error {
	rep, err := s.CalibratePretest(ctx)
	if err != nil {
		return err
	}
	s.logger.Info("calibration", "items", len(rep.Items), "calibrated", len(rep.Calibrated), "version", rep.ParamsVersion)
	return nil
}
