package assessments_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/internal/testenv"
)

// TestCalibrationLearnsRho: 400 tests whose competences correlate at
// ρ = 0.6 with the general ability (two answers in each CRCN competence,
// to launch challenges of known parameters) make the weekly calibration
// learn ρ near 0.6 and store it in a new parameter version, which new tests
// use; the launch bank keeps its parameters.
func TestCalibrationLearnsRho(t *testing.T) {
	env := testenv.New(t)
	svc := env.Sys.Assessments
	// Calibration takes a while under the race detector: more than
	// testenv.Ctx's 30 s.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	crcn, _ := svc.Bank().Framework("crcn")
	byComp := map[string][]*assessments.Challenge{}
	for _, c := range crcn.Challenges {
		byComp[c.Competence] = append(byComp[c.Competence], c)
	}
	const rho = 0.6
	r := rand.New(rand.NewPCG(5, 6))
	var docs []assessments.Response
	for p := range 400 {
		theta := r.NormFloat64()
		id := "t" + strconv.Itoa(p)
		n := 0
		for _, comp := range crcn.Competences {
			tc := rho*theta + math.Sqrt(1-rho*rho)*r.NormFloat64()
			items := byComp[comp.ID]
			for _, k := range r.Perm(len(items))[:2] {
				c := items[k]
				correct := r.Float64() < 1/(1+math.Exp(-c.A*(tc-c.B)))
				docs = append(docs, assessments.Response{ID: id + ":" + strconv.Itoa(n), TestID: id, ChallengeID: c.ID, Correct: correct})
				n++
			}
		}
	}
	if err := assessments.NewStore(env.Sys.DB).InsertResponses(ctx, docs); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.CalibratePretest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("learned rho %.3f ± %.3f", rep.Rho, rep.RhoSE)
	if math.Abs(rep.Rho-rho) > 0.15 || rep.RhoSE <= 0 || rep.ParamsVersion == "initial" || len(rep.Calibrated) != 0 {
		t.Fatalf("learned rho %.3f ± %.3f, params %q, calibrated %v", rep.Rho, rep.RhoSE, rep.ParamsVersion, rep.Calibrated)
	}
	tt, err := svc.Start(ctx, assessments.Owner{AnonKey: "apres-rho"}, assessments.Scope{Framework: "crcn"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if tt.ParamsVersion != rep.ParamsVersion || tt.Config.Rho != rep.Rho {
		t.Fatalf("new test: params %q rho %v, want %q %v", tt.ParamsVersion, tt.Config.Rho, rep.ParamsVersion, rep.Rho)
	}
	for _, it := range rep.Items {
		if it.Status == assessments.ItemLaunch && it.SEA != 0 {
			t.Fatalf("a launch item was re-estimated: %+v", it)
		}
	}
	// The same answers again: ρ has not moved, no new version.
	again, err := svc.CalibratePretest(ctx)
	if err != nil || again.ParamsVersion != rep.ParamsVersion {
		t.Fatalf("second run: %v, params %q (was %q)", err, again.ParamsVersion, rep.ParamsVersion)
	}
}
