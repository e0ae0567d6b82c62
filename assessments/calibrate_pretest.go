package assessments

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"ardoise/assessments/irt"
)

// Item statuses in the calibration report.
const (
	ItemLaunch     = "launch"     // in the launch bank: scored with its initial parameters
	ItemPretest    = "pretest"    // added after launch, served unscored
	ItemCalibrated = "calibrated" // a former pretest item, scored with its calibrated parameters
)

// Misfit flags of an item in the calibration report (i18n keys under
// admin.items.flag.).
const (
	FlagLowDiscrimination = "low_discrimination" // a < 0.4: the item barely separates levels
	FlagOffScale          = "off_scale"          // |b| > 4: too easy or too hard for anyone measured
	FlagImprecise         = "imprecise"          // SE of b > 0.5
	FlagMisfitHigh        = "misfit_high"        // outfit > 1.3: answers do not follow ability
	FlagMisfitLow         = "misfit_low"         // outfit < 0.7: answers too predictable
)

// minFitAnswers is how many anchored answers an item needs before its fit
// statistic is reported.
const minFitAnswers = 50

// ItemReport is one challenge's line in the calibration report.
type ItemReport struct {
	ID         string   `bson:"id" json:"id"`
	Framework  string   `bson:"framework" json:"framework"`
	Competence string   `bson:"competence" json:"competence"`
	Level      int      `bson:"level" json:"level"`
	Status     string   `bson:"status" json:"status"`
	Answers    int      `bson:"answers" json:"answers"`
	Correct    int      `bson:"correct" json:"correct"`
	A          float64  `bson:"a" json:"a"`
	B          float64  `bson:"b" json:"b"`
	SEA        float64  `bson:"seA" json:"seA"` // 0 for parameters not estimated from answers
	SEB        float64  `bson:"seB" json:"seB"`
	Outfit     float64  `bson:"outfit" json:"outfit"` // 0 below minFitAnswers anchored answers
	Flags      []string `bson:"flags" json:"flags"`
}

// ItemsReport is the latest calibration's view of every challenge of the
// current content, which the admin page shows.
type ItemsReport struct {
	ID             string    `bson:"_id" json:"-"`
	At             time.Time `bson:"at" json:"at"`
	ContentVersion string    `bson:"contentVersion" json:"contentVersion"`
	ParamsVersion  string    `bson:"paramsVersion" json:"paramsVersion"`
	Calibrated     []string  `bson:"calibrated" json:"calibrated"` // moved from pretest to scored by this run
	// Rho is the higher-order correlation the engine uses (0: its default,
	// too few tests to learn it yet), RhoSE its standard error.
	Rho   float64      `bson:"rho" json:"rho"`
	RhoSE float64      `bson:"rhoSE" json:"rhoSE"`
	Items []ItemReport `bson:"items" json:"items"`
}

// CalibratePretest is the weekly calibration. The launch bank keeps its
// parameters; each pretest challenge with at least MinCalibrationAnswers
// anchored answers is calibrated on the scale of the scored items
// (irt.CalibrateAnchored) and becomes scored in a new parameter version,
// once: a challenge the current version scores is never re-estimated. It
// also writes the report of every challenge (answers, parameters, SEs,
// misfit flags) that the admin page shows.
func (s *Service) CalibratePretest(ctx context.Context) (*ItemsReport, error) {
	params := s.currentParams(ctx)
	bank := s.current
	type tally struct {
		answers, correct int
		anchored         []irt.AnchoredAnswer
	}
	by := map[string]*tally{}
	m := newResponseMatrix(bank)
	err := s.store.eachResponse(ctx, func(r response) {
		m.add(r)
		t := by[r.ChallengeID]
		if t == nil {
			t = &tally{}
			by[r.ChallengeID] = t
		}
		t.answers++
		if r.Correct {
			t.correct++
		}
		if r.SE > 0 {
			t.anchored = append(t.anchored, irt.AnchoredAnswer{Theta: r.Theta, SE: r.SE, Correct: r.Correct})
		}
	})
	if err != nil {
		return nil, err
	}
	rep := &ItemsReport{ID: latestReport, At: s.now(), ContentVersion: bank.Version, ParamsVersion: params.Version}
	var added []ItemParam
	opts := irt.DefaultCalibrationOptions()
	for _, f := range bank.Frameworks {
		for _, ch := range f.Challenges {
			t := by[ch.ID]
			if t == nil {
				t = &tally{}
			}
			line := ItemReport{ID: ch.ID, Framework: f.ID, Competence: ch.Competence, Level: ch.Level,
				Answers: t.answers, Correct: t.correct, Flags: []string{}}
			line.A, line.B = params.of(ch)
			switch {
			case !ch.Pretest():
				line.Status = ItemLaunch
			case params.scored(ch):
				line.Status = ItemCalibrated
				it := params.byID[ch.ID]
				line.SEA, line.SEB = it.SEA, it.SEB
			case len(t.anchored) >= MinCalibrationAnswers:
				fit, err := irt.CalibrateAnchored(t.anchored, opts)
				if err != nil {
					return nil, err
				}
				line.Status, line.A, line.B, line.SEA, line.SEB = ItemCalibrated, fit.A, fit.B, fit.SEA, fit.SEB
				added = append(added, ItemParam{ID: ch.ID, A: fit.A, B: fit.B, SEA: fit.SEA, SEB: fit.SEB, N: len(t.anchored)})
				rep.Calibrated = append(rep.Calibrated, ch.ID)
			default:
				line.Status = ItemPretest
			}
			if len(t.anchored) >= minFitAnswers {
				line.Outfit = irt.Outfit(t.anchored, line.A, line.B, opts.Grid)
			}
			line.Flags = flagsOf(line)
			rep.Items = append(rep.Items, line)
		}
	}
	rho, rhoSE, rhoMoved, err := s.learnRho(m, params)
	if err != nil {
		return nil, err
	}
	rep.Rho, rep.RhoSE = rho, rhoSE
	if len(added) > 0 || rhoMoved {
		p, err := s.saveParamVersion(ctx, append(append([]ItemParam(nil), params.Items...), added...), rho, rhoSE)
		if err != nil {
			return nil, err
		}
		rep.ParamsVersion = p.Version
	}
	if err := s.store.saveItemsReport(ctx, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// MinRhoTests is how many tests' answers calibration needs before it
// estimates the higher-order correlation ρ: with fewer, the engine keeps
// its default (0.8).
const MinRhoTests = 300

// How ρ is learned: from the answers of at most rhoSampleTests tests, with
// at most rhoIterations EM cycles stopping when no parameter moves by
// rhoTolerance.
const (
	rhoSampleTests = 2000
	rhoIterations  = 15
	rhoTolerance   = 1e-3
)

// learnRho estimates ρ from every stored answer (the engine's higher-order
// model, items and ρ together; the item estimates are not kept: the launch
// bank keeps its parameters). It returns the ρ the engine should use and
// whether it moved from the current version's: beyond 0.02 and two SEs, so
// that noise does not make a new parameter version every week.
func (s *Service) learnRho(m *responseMatrix, params *ItemParams) (rho, se float64, moved bool, err error) {
	if len(m.persons) < MinRhoTests {
		return params.Rho, params.RhoSE, false, nil
	}
	opts := irt.DefaultCalibrationOptions()
	opts.FloatLogAMean = true
	// ρ is one number: a few EM cycles on at most rhoSampleTests tests
	// pin it to about 0.01, where every cycle over all answers would take
	// hours at a million.
	opts.MaxIterations, opts.Tolerance = rhoIterations, rhoTolerance
	cal, err := irt.CalibrateHigherOrder(m.competence, m.sample(rhoSampleTests), opts)
	if err != nil {
		return 0, 0, false, fmt.Errorf("assessments: learn rho: %w", err)
	}
	if params.Rho > 0 && math.Abs(cal.Rho-params.Rho) <= max(0.02, 2*cal.RhoSE) {
		return params.Rho, params.RhoSE, false, nil
	}
	return cal.Rho, cal.RhoSE, true, nil
}

// flagsOf returns an item's misfit flags.
func flagsOf(it ItemReport) []string {
	out := []string{}
	if it.Status == ItemCalibrated && it.A < 0.4 {
		out = append(out, FlagLowDiscrimination)
	}
	if math.Abs(it.B) > 4 {
		out = append(out, FlagOffScale)
	}
	if it.SEB > 0.5 {
		out = append(out, FlagImprecise)
	}
	switch {
	case it.Outfit == 0:
	case it.Outfit > 1.3:
		out = append(out, FlagMisfitHigh)
	case it.Outfit < 0.7:
		out = append(out, FlagMisfitLow)
	}
	return out
}

// ItemsReport returns the latest calibration report, nil before the first
// calibration.
func (s *Service) ItemsReport(ctx context.Context) (*ItemsReport, error) {
	return s.store.itemsReport(ctx)
}

// sortParams orders parameters by challenge id, the order their version
// hash reads them in.
func sortParams(items []ItemParam) {
	sort.Slice(items, func(i, j int) bool { return items[i].ID < items[j].ID })
}
