package certification_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/assessments"
	"ardoise/certificates"
	"ardoise/certification"
	"ardoise/internal/errkind"
	"ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// afterDay runs a session's day for the given people: each checks in, is
// confirmed, starts and answers answered[i] questions (0 for the whole
// test). It returns the session and the tests.
func afterDay(t *testing.T, env *testenv.Env, referent *profile.User, people []*profile.User, answered []int) (*certification.Session, []*assessments.Test) {
	t.Helper()
	ctx := testenv.Ctx(t)
	svc := env.Sys.Certification
	x := daySession(t, env, people...)
	centre := &certification.Centre{ID: fmt.Sprintf("%024x", rand.Uint64()), Name: "INSPÉ de Lyon",
		Territory: profile.Territory{Academie: "lyon"}, Referents: []string{referent.ID}, CreatedAt: time.Now()}
	if err := svc.Store().PutCentre(ctx, centre); err != nil {
		t.Fatal(err)
	}
	x.CentreID = centre.ID
	if err := putCentreOf(ctx, env, x.ID, centre.ID); err != nil {
		t.Fatal(err)
	}
	token, err := svc.Supervise(ctx, x.Number, "ACDE34")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Open(ctx, token); err != nil {
		t.Fatal(err)
	}
	names := [][2]string{{"Dupont-Élie", "Jean"}, {"Martin", "Léa"}, {"Bernard", "Chloé"}}
	var tests []*assessments.Test
	for i, u := range people {
		in := certification.CheckInInput{Session: x.Number, LastName: names[i][0], FirstName: names[i][1], BirthDate: fmt.Sprintf("1985-04-0%d", i+1)}
		handle, cand, err := svc.CheckIn(ctx, u, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Confirm(ctx, token, cand.ID); err != nil {
			t.Fatal(err)
		}
		st, err := svc.Start(ctx, u, handle, "KXQB47")
		if err != nil {
			t.Fatal(err)
		}
		tt := st.Test
		for n := 0; tt.State == assessments.StateStarted && (answered[i] == 0 || n < answered[i]); n++ {
			ch, err := env.Sys.Assessments.Challenge(ctx, tt, tt.Current.ChallengeID)
			if err != nil {
				t.Fatal(err)
			}
			if tt, err = svc.Answer(ctx, u, tt.ID, st.Device, ch.ID, func(*assessments.Challenge) (assessments.Answer, error) {
				return ch.SampleAnswer(n%4 != 0), nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		if answered[i] == 0 {
			if tt.State != assessments.StateFinished {
				t.Fatalf("candidate %d: test not finished", i)
			}
			if err := svc.CountFinished(ctx, tt); err != nil { // the finish hook, as the worker runs it
				t.Fatal(err)
			}
		}
		tests = append(tests, tt)
	}
	return x, tests
}

// putCentreOf moves a session to a centre.
func putCentreOf(ctx context.Context, env *testenv.Env, sessionID, centreID string) error {
	_, err := env.Sys.DB.Collection(certification.SessionsCollection).UpdateOne(ctx, bson.M{"_id": sessionID},
		bson.M{"$set": bson.M{"centreId": centreID}})
	return err
}

func deniedWith(t *testing.T, err error, code string) {
	t.Helper()
	var den *errkind.DeniedError
	if !errors.As(err, &den) || den.Code != code {
		t.Fatalf("got %v, want denial %s", err, code)
	}
}

func invalidFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want a validation error on %v", err, fields)
	}
	for _, f := range fields {
		if !v.Has(f) {
			t.Errorf("validation error %v lacks %s", v, f)
		}
	}
}

// TestAfterTheSession: finalization (référent only, a reason for every
// unfinished test), the first pass's marks, the jury apart from the
// centre, publication refused while a test is in error or undecided, then
// exactly one certificate per validated candidate though the queue is
// lost and the issuing crashed midway; the C- code verifies with public
// fields only; the candidate reads their result; the jury revokes with a
// history.
func TestAfterTheSession(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		referent, jury := env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleAdmin)
		jean, lea, chloe := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		x, tests := afterDay(t, env, referent, []*profile.User{jean, lea, chloe}, []int{0, 0, 3})

		in := certification.FinalizeInput{Comment: "Session calme.", Incidents: true,
			Reports: []certification.Report{{CandidateID: "c2", Category: certification.ReportFraud, Text: "Téléphone consulté."}}}
		// Who may act comes first: the jury is no référent, whatever the input.
		_, err := svc.Finalize(ctx, jury, x.ID, in)
		deniedWith(t, err, certification.CodeNotReferent)
		_, err = svc.Finalize(ctx, referent, x.ID, in)
		invalidFields(t, err, "reasons.c3")
		bad := in
		bad.Reports = append(slices.Clone(in.Reports), certification.Report{CandidateID: "c1", Category: "other", Text: "x"})
		bad.Reasons = map[string]string{"c3": "Malaise"}
		_, err = svc.Finalize(ctx, referent, x.ID, bad)
		invalidFields(t, err, "reports.1.category")

		in.Reasons = map[string]string{"c3": "Malaise, test arrêté à la 3e question"}
		fin, err := svc.Finalize(ctx, referent, x.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if fin.Status != certification.StatusInReview || len(fin.Jury) != 3 {
			t.Fatalf("after finalization: %s, %d lines", fin.Status, len(fin.Jury))
		}
		marks := map[string]certification.JuryLine{}
		for _, l := range fin.Jury {
			marks[l.CandidateID] = l
		}
		if l := marks["c1"]; l.Mark != certification.MarkValidated || l.Counted != 32 || l.Score <= 0 || len(l.Levels) == 0 {
			t.Errorf("jean: %+v", l)
		}
		if l := marks["c2"]; l.Mark != certification.MarkToReview || !slices.Equal(l.Why, []string{certification.WhyFraud}) {
			t.Errorf("léa (fraud report): %+v", l)
		}
		if l := marks["c3"]; l.Mark != certification.MarkToReview || !slices.Contains(l.Why, certification.WhyFewAnswers) {
			t.Errorf("chloé (3 answers): %+v", l)
		}
		if c3, _ := svc.Store().Session(ctx, x.ID); c3.Candidates[2].State != certification.StateEnded {
			t.Errorf("chloé's running test: state %s", c3.Candidates[2].State)
		}
		_, err = svc.Finalize(ctx, referent, x.ID, in)
		refusedWith(t, err, certification.CodeNotFinalizable)

		// The jury: an admin apart from the centre.
		_, err = svc.JuryView(ctx, referent, x.ID)
		deniedWith(t, err, certification.CodeNotJury)
		if _, err := svc.JuryView(ctx, jean, x.ID); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("a learner as jury: %v", err)
		}
		view, err := svc.JuryView(ctx, jury, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if l := view.Lines[1]; l.LastName != "Martin" || len(l.Reports) != 1 || len(l.Events) == 0 {
			t.Errorf("jury view line %+v", l)
		}
		_, err = svc.Publish(ctx, jury, x.ID)
		refusedWith(t, err, certification.CodeJuryPending)
		_, err = svc.JuryDecide(ctx, jury, tests[1].ID, certification.DecisionReject, "")
		invalidFields(t, err, "comment")
		_, err = svc.JuryDecide(ctx, referent, tests[1].ID, certification.DecisionReject, "Fraude")
		deniedWith(t, err, certification.CodeNotJury)
		if _, err := svc.JuryDecide(ctx, jury, tests[1].ID, certification.DecisionReject, "Fraude avérée"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.JuryDecide(ctx, jury, tests[2].ID, certification.DecisionCancel, "Malaise : à repasser"); err != nil {
			t.Fatal(err)
		}
		// A test in error blocks publication, and cannot be validated.
		if err := svc.Store().SetMark(ctx, x.ID, tests[0].ID, certification.MarkError); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Publish(ctx, jury, x.ID)
		refusedWith(t, err, certification.CodeJuryPending)
		_, err = svc.JuryDecide(ctx, jury, tests[0].ID, certification.DecisionValidate, "")
		refusedWith(t, err, certification.CodeErrorNotValidated)
		if err := svc.Store().SetMark(ctx, x.ID, tests[0].ID, certification.MarkValidated); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Publish(ctx, referent, x.ID)
		deniedWith(t, err, certification.CodeNotJury)
		pub, err := svc.Publish(ctx, jury, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Status != certification.StatusPublished || !slices.Contains(pub.Pending, "certificates") {
			t.Fatalf("published: %s %v", pub.Status, pub.Pending)
		}

		// The queue is lost, and a first issuing crashed after the
		// certificate, before clearing the marker.
		insp := asynq.NewInspector(env.Sys.AsynqOpt)
		defer insp.Close()
		if _, err := insp.DeleteAllPendingTasks(env.Sys.Queue.Names().Of(queue.Default)); err != nil {
			t.Fatal(err)
		}
		var levels []certificates.Level
		for _, l := range marks["c1"].Levels {
			levels = append(levels, certificates.Level{Competence: l.Competence, Title: l.Title, Level: l.Level})
		}
		if _, err := env.Sys.Certificates.Issue(ctx, certificates.Request{Kind: certificates.KindCertification,
			SourceID: tests[0].ID, HolderID: jean.ID, HolderName: "Jean Dupont-Élie", Score: marks["c1"].Score, Levels: levels,
			CompletedAt: marks["c1"].FinishedAt}); err != nil {
			t.Fatal(err)
		}
		env.StartWorker(t)
		sweeper := queue.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, env.Sys.Logger, 0)
		if n, err := sweeper.SweepOnce(ctx); err != nil || n < 1 {
			t.Fatalf("sweep: %d, %v", n, err)
		}
		env.DrainQueues(t, 20*time.Second)
		testenv.Eventually(t, 10*time.Second, "the marker cleared", func() bool {
			s, err := svc.Store().Session(ctx, x.ID)
			return err == nil && len(s.Pending) == 0
		})
		for i, tt := range tests {
			n, err := env.Sys.DB.Collection(certificates.Collection).CountDocuments(ctx, bson.M{"sourceId": tt.ID})
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(map[bool]int{true: 1}[i == 0]); n != want {
				t.Errorf("test %d: %d certificates, want %d", i, n, want)
			}
		}
		// Once more: nothing new.
		if err := svc.IssueCertificates(ctx, x.ID); err != nil {
			t.Fatal(err)
		}

		// The candidate's results, and the public verification.
		res, err := svc.Results(ctx, jean)
		if err != nil || len(res) != 1 {
			t.Fatalf("jean's results: %+v %v", res, err)
		}
		r := res[0]
		if r.TestID != tests[0].ID || r.Score != marks["c1"].Score || !strings.HasPrefix(r.Code, "C-") || len(r.Code) != 10 {
			t.Errorf("result %+v", r)
		}
		if other, _ := svc.Results(ctx, lea); len(other) != 0 {
			t.Errorf("léa's results: %+v", other)
		}
		pubView, err := env.Sys.Certificates.Verify(ctx, strings.ToLower(r.Code))
		if err != nil {
			t.Fatal(err)
		}
		if pubView.Kind != certificates.KindCertification || pubView.Score != r.Score || len(pubView.Levels) != len(r.Levels) || !pubView.Valid {
			t.Errorf("verification %+v", pubView)
		}
		raw, _ := json.Marshal(pubView)
		for _, private := range []string{"holderId", "history", "email", "revokedReason", "sourceId"} {
			if strings.Contains(string(raw), private) {
				t.Errorf("verification shows %s: %s", private, raw)
			}
		}
		pdf, cert, err := env.Sys.Certificates.PDF(ctx, r.CertificateID, jean.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		text := testenv.PDFText(pdf)
		for _, want := range []string{fmt.Sprintf("%d sur 1024", r.Score), r.Code, "Jean Dupont"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		if cert.MailedAt.IsZero() {
			t.Error("the holder was not mailed")
		}

		// Revocation by the jury, with its history.
		_, err = svc.Revoke(ctx, referent, tests[0].ID, "Fraude découverte après coup")
		deniedWith(t, err, certification.CodeNotJury)
		rev, err := svc.Revoke(ctx, jury, tests[0].ID, "Fraude découverte après coup")
		if err != nil {
			t.Fatal(err)
		}
		if !rev.Revoked || len(rev.History) != 2 || rev.History[1].By != jury.ID || rev.History[1].Reason != "Fraude découverte après coup" {
			t.Errorf("revoked: %+v", rev)
		}
		if p, err := env.Sys.Certificates.Verify(ctx, r.Code); err != nil || p.Valid || !p.Revoked {
			t.Errorf("verification after revocation: %+v %v", p, err)
		}
		if res, err := svc.Results(ctx, jean); err != nil || !res[0].Revoked {
			t.Errorf("results after revocation: %+v %v", res, err)
		}
	}, testenv.WithoutWorker())
}

// TestFirstPassFindsReplayErrors: a stored result the replay does not give
// back marks the test in error, which blocks publication until the jury
// cancels it; a cancelled test gets no certificate.
func TestFirstPassFindsReplayErrors(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		referent, jury, jean := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleLearner)
		x, tests := afterDay(t, env, referent, []*profile.User{jean}, []int{0})
		if _, err := env.Sys.DB.Collection(assessments.TestsCollection).UpdateOne(ctx, bson.M{"_id": tests[0].ID},
			bson.M{"$set": bson.M{"result.score": tests[0].Result.Score + 7}}); err != nil {
			t.Fatal(err)
		}
		fin, err := svc.Finalize(ctx, referent, x.ID, certification.FinalizeInput{})
		if err != nil {
			t.Fatal(err)
		}
		if l := fin.Jury[0]; l.Mark != certification.MarkError || !slices.Equal(l.Why, []string{certification.WhyReplay}) || len(l.Problems) == 0 {
			t.Fatalf("line %+v", l)
		}
		_, err = svc.Publish(ctx, jury, x.ID)
		refusedWith(t, err, certification.CodeJuryPending)
		if _, err := svc.JuryDecide(ctx, jury, tests[0].ID, certification.DecisionCancel, "Résultat altéré : à repasser"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, jury, x.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.IssueCertificates(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := env.Sys.DB.Collection(certificates.Collection).CountDocuments(ctx, bson.M{"sourceId": tests[0].ID}); err != nil || n != 0 {
			t.Errorf("a cancelled test got %d certificates (%v)", n, err)
		}
		if s, _ := svc.Store().Session(ctx, x.ID); len(s.Pending) != 0 {
			t.Errorf("marker left: %v", s.Pending)
		}
	}, testenv.WithoutWorker())
}
