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
}

// Calibrate estimates the 2PL parameters of every challenge from the
// answers of finished tests (the responses collection), by marginal
// maximum likelihood, and stores them as a new parameter version. Tests in
// progress keep the version they started with; new tests use the new one.
func (s *Service) Calibrate(ctx context.Context) (*CalibrationReport, error) {
	items, persons := map[string]int{}, map[string]int{}
	var ids []string
	var obs []irt.Observation
	err := s.store.eachResponse(ctx, func(r response) {
		i, ok := items[r.ChallengeID]
		if !ok {
			i = len(ids)
			items[r.ChallengeID] = i
			ids = append(ids, r.ChallengeID)
		}
		p, ok := persons[r.TestID]
		if !ok {
			p = len(persons)
			persons[r.TestID] = p
		}
		obs = append(obs, irt.Observation{Person: p, Item: i, Correct: r.Correct})
	})
	if err != nil {
		return nil, err
	}
	rep := &CalibrationReport{Answers: len(obs), Tests: len(persons), Items: len(ids)}
	if len(obs) == 0 {
		return rep, nil
	}
	cal, err := irt.Calibrate(len(ids), obs, irt.DefaultCalibrationOptions())
	if err != nil {
		return nil, fmt.Errorf("assessments: calibrate: %w", err)
	}
	rep.Converged, rep.Iterations = cal.Converged, cal.Iterations
	p := &ItemParams{CreatedAt: s.now()}
	for i, id := range ids {
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
	saved, err := s.saveParamVersion(ctx, p.Items)
	if err != nil {
		return nil, err
	}
	rep.Version = saved.Version
	return rep, nil
}

// saveParamVersion stores items as a new parameter version, named by their
// hash, and makes it the one new tests start with.
func (s *Service) saveParamVersion(ctx context.Context, items []ItemParam) (*ItemParams, error) {
	p := &ItemParams{Items: items, CreatedAt: s.now()}
	sortParams(p.Items)
	h := sha256.New()
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
