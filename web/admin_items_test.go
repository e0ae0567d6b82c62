package web_test

import (
	"strings"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestAdminItemsReportBeforeCalibration: before any calibration (no worker
// to run the weekly task) the page says none has run.
func TestAdminItemsReportBeforeCalibration(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	if _, body := get(t, env, admin, "/admin/questions"); !strings.Contains(body, `id="no-report"`) {
		t.Fatal("before any calibration the page should say none has run")
	}
}

// TestAdminItemsReport: after a finished test and the weekly calibration
// the page lists every challenge with
// its status, answers and parameters, in French numbers, and its filters
// narrow the list.
func TestAdminItemsReport(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	admin := env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
	svc := env.Sys.Assessments
	o := assessments.Owner{AnonKey: "navigateur-items"}
	tt, err := svc.Start(ctx, o, assessments.Scope{Framework: "crcn", Competence: "2.1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	for tt.State == assessments.StateStarted {
		ch, _ := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
		if tt, err = svc.Answer(ctx, tt.ID, o, ch.ID, ch.SampleAnswer(true)); err != nil {
			t.Fatal(err)
		}
	}
	first := tt.Answers[0].ChallengeID
	var rep *assessments.ItemsReport
	testenv.Eventually(t, 15*time.Second, "the answers copied and counted", func() bool {
		rep, err = svc.CalibratePretest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range rep.Items {
			if it.ID == first {
				return it.Answers == 1
			}
		}
		return false
	})
	_, body := get(t, env, admin, "/admin/questions")
	for _, want := range []string{"<code>" + first + "</code>", "Lancement", "100 %", "<td>1,00</td>", "valeur par défaut du moteur"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	if n := strings.Count(body, "<tr><th scope=\"row\">"); n != len(rep.Items) {
		t.Errorf("%d rows for %d challenges", n, len(rep.Items))
	}
	if _, body := get(t, env, admin, "/admin/questions?statut=pretest"); strings.Contains(body, "<code>") || !strings.Contains(body, "Aucune question ne correspond") {
		t.Error("the pretest filter should list nothing: the shipped bank has no pretest item")
	}
	if _, body := get(t, env, admin, "/admin/questions?statut=%3Cscript%3E"); !strings.Contains(body, "<code>"+first) {
		t.Error("an unknown filter should list everything")
	}
}
