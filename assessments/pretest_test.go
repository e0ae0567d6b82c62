package assessments_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"ardoise/assessments"
	"ardoise/assessments/content"
	"ardoise/internal/testenv"
)

// pretestItem is a challenge added after the launch, for competence 1.1.
func pretestItem(id string) string {
	return `
  - id: ` + id + `
    skill: requetes@1
    type: qcu
    prompt: Question en prétest ` + id + `.
    proposals:
      - id: a
        text: Réponse juste
      - id: b
        text: Réponse fausse
    solution: a
    explanation: Explication.
    tutorial:
      title: Aide
      url: https://fr.wikipedia.org/wiki/Moteur_de_recherche
    reviewed: 2026-12-20
    added: 2026-12-20
`
}

// withPretests is the shipped content (launched on 2026-12-03) with two
// challenges added to competence 1.1 since.
func withPretests(t *testing.T) assessments.Sources {
	t.Helper()
	src, err := assessments.SourcesFrom(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	comp := strings.TrimRight(string(src.Files["crcn/1.1.yaml"]), "\n") + "\n"
	src.Files["crcn/1.1.yaml"] = []byte(comp + pretestItem("crcn-1.1-pretest-a") + pretestItem("crcn-1.1-pretest-b"))
	return src
}

// TestPretestItemsNeverChangeAScore: two tests with the same seed and the
// same scored answers, one answering its pretest challenges right and the
// other wrong, serve the same scored questions and end on the same result;
// the pretest answers are recorded as such, at most two per test.
func TestPretestItemsNeverChangeAScore(t *testing.T) {
	env := testenv.New(t)
	svc := env.Sys.Assessments
	ctx := testenv.Ctx(t)
	if err := svc.UseContent(ctx, withPretests(t)); err != nil {
		t.Fatal(err)
	}
	svc.SetSeed(77)
	scope := assessments.Scope{Framework: "crcn", Competence: "1.1"}
	run := func(owner string, pretestRight bool) *assessments.Test {
		o := assessments.Owner{AnonKey: owner}
		tt, err := svc.Start(ctx, o, scope, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(tt.Pretests) != 2 {
			t.Fatalf("planned pretests %+v, want the two of the scope", tt.Pretests)
		}
		scored := 0
		for tt.State == assessments.StateStarted {
			ch, _ := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
			right := scored%3 != 0
			if ch.Pretest() {
				right = pretestRight
			} else {
				scored++
			}
			if tt, err = svc.Answer(ctx, tt.ID, o, ch.ID, ch.SampleAnswer(right)); err != nil {
				t.Fatal(err)
			}
		}
		return tt
	}
	right, wrong := run("navigateur-juste", true), run("navigateur-faux", false)
	var scoredR, scoredW []string
	pretests := 0
	for _, a := range right.Answers {
		if a.Pretest {
			pretests++
			if !strings.Contains(a.ChallengeID, "pretest") || !a.Correct {
				t.Errorf("pretest answer %+v", a)
			}
			continue
		}
		scoredR = append(scoredR, a.ChallengeID)
	}
	for _, a := range wrong.Answers {
		if !a.Pretest {
			scoredW = append(scoredW, a.ChallengeID)
		}
	}
	if pretests != 2 {
		t.Errorf("%d pretest answers, want 2", pretests)
	}
	if strings.Join(scoredR, ",") != strings.Join(scoredW, ",") {
		t.Fatalf("the pretest answers changed the scored questions:\n%v\n%v", scoredR, scoredW)
	}
	if right.Result.Score != wrong.Result.Score || right.Result.Theta != wrong.Result.Theta || right.Result.SE != wrong.Result.SE {
		t.Fatalf("the pretest answers changed the result: %+v vs %+v", right.Result, wrong.Result)
	}
	if right.MaxQuestions() != right.Config.MaxLength+2 {
		t.Errorf("max questions %d", right.MaxQuestions())
	}
}

// TestCalibrationMovesPretestToScoredOnce: a pretest challenge with fewer
// than 200 anchored answers stays pretest; with 300 it is calibrated on the
// scale of the scored items, new tests score it (it is no longer planned as
// a pretest), and the next calibration leaves it as it is.
func TestCalibrationMovesPretestToScoredOnce(t *testing.T) {
	env := testenv.New(t)
	svc := env.Sys.Assessments
	ctx := testenv.Ctx(t)
	if err := svc.UseContent(ctx, withPretests(t)); err != nil {
		t.Fatal(err)
	}
	// Answers to pretest-a (a = 1.3, b = 0.5) by 300 people of known
	// ability; 120 answers to pretest-b.
	r := rand.New(rand.NewPCG(1, 2))
	var docs []assessments.Response
	for p := range 300 {
		theta := r.NormFloat64()
		id := "t" + strconv.Itoa(p)
		prob := 1 / (1 + math.Exp(-1.3*(theta-0.5)))
		docs = append(docs, assessments.Response{ID: id + ":0", TestID: id, ChallengeID: "crcn-1.1-pretest-a",
			Correct: r.Float64() < prob, Pretest: true, Theta: theta, SE: 0.3})
		if p < 120 {
			docs = append(docs, assessments.Response{ID: id + ":1", TestID: id, ChallengeID: "crcn-1.1-pretest-b",
				Correct: r.Float64() < 0.5, Pretest: true, Theta: theta, SE: 0.3})
		}
	}
	if err := assessments.NewStore(env.Sys.DB).InsertResponses(ctx, docs); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.CalibratePretest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Calibrated) != 1 || rep.Calibrated[0] != "crcn-1.1-pretest-a" || rep.ParamsVersion == "initial" {
		t.Fatalf("first calibration: calibrated %v, params %q", rep.Calibrated, rep.ParamsVersion)
	}
	line := func(rep *assessments.ItemsReport, id string) assessments.ItemReport {
		for _, it := range rep.Items {
			if it.ID == id {
				return it
			}
		}
		t.Fatalf("%s not in the report", id)
		return assessments.ItemReport{}
	}
	a := line(rep, "crcn-1.1-pretest-a")
	if a.Status != assessments.ItemCalibrated || a.Answers != 300 || math.Abs(a.B-0.5) > 0.45 || a.SEB <= 0 || a.SEA <= 0 {
		t.Errorf("pretest-a after calibration: %+v", a)
	}
	if b := line(rep, "crcn-1.1-pretest-b"); b.Status != assessments.ItemPretest || b.Answers != 120 {
		t.Errorf("pretest-b with 120 answers: %+v", b)
	}
	if l := line(rep, "crcn-1.1-requetes-1-mots-cles"); l.Status != assessments.ItemLaunch || l.SEA != 0 {
		t.Errorf("a launch item: %+v", l)
	}
	stored, err := svc.ItemsReport(ctx)
	if err != nil || stored == nil || len(stored.Items) != len(rep.Items) {
		t.Fatalf("stored report: %v", err)
	}
	// New tests score pretest-a: only pretest-b is left to plan.
	tt, err := svc.Start(ctx, assessments.Owner{AnonKey: "apres"}, assessments.Scope{Framework: "crcn", Competence: "1.1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if tt.ParamsVersion != rep.ParamsVersion || len(tt.Pretests) != 1 || tt.Pretests[0].ChallengeID != "crcn-1.1-pretest-b" {
		t.Fatalf("after calibration: params %q, pretests %+v", tt.ParamsVersion, tt.Pretests)
	}
	// Once only: a second calibration moves nothing and keeps a's values.
	again, err := svc.CalibratePretest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Calibrated) != 0 || again.ParamsVersion != rep.ParamsVersion {
		t.Fatalf("second calibration: calibrated %v, params %q (was %q)", again.Calibrated, again.ParamsVersion, rep.ParamsVersion)
	}
	if a2 := line(again, "crcn-1.1-pretest-a"); a2.A != a.A || a2.B != a.B || a2.Status != assessments.ItemCalibrated {
		t.Errorf("pretest-a moved: %+v then %+v", a, a2)
	}
}
