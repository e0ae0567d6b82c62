package certification_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// daySession stores a session of today (00:00, Paris) whose candidates are
// the given accounts, named as on their list.
func daySession(t testing.TB, env *testenv.Env, people ...*profile.User) *certification.Session {
	t.Helper()
	x := &certification.Session{ID: fmt.Sprintf("%024x", rand.Uint64()), Number: 100000 + rand.IntN(900000),
		CentreID: "centre", Kind: certification.KindCRCN, Date: time.Now().In(clock.Paris()).Format("2006-01-02"), Time: "00:00",
		Place: "INSPÉ de Lyon", Room: "B12", Invigilator: "Mme Surveillante", AccessCode: "KXQB47", InvigilatorPassword: "ACDE34",
		Status: certification.StatusCreated, Candidates: []certification.Candidate{}, Alerts: []certification.Alert{}}
	names := [][2]string{{"Dupont-Élie", "Jean"}, {"Martin", "Léa"}, {"Bernard", "Chloé"}}
	for i, u := range people {
		x.Candidates = append(x.Candidates, certification.Candidate{ID: "c" + string(rune('1'+i)), LastName: names[i][0],
			FirstName: names[i][1], BirthDate: "1985-04-0" + string(rune('1'+i)), Email: u.EmailLower, State: certification.StateAbsent,
			Adjustment: i == 2})
	}
	if err := env.Sys.Certification.Store().PutSession(testenv.Ctx(t), x); err != nil {
		t.Fatal(err)
	}
	return x
}

func refusedWith(t testing.TB, err error, code string) {
	t.Helper()
	var ref *errkind.RefusedError
	if !errors.As(err, &ref) || ref.Code != code {
		t.Fatalf("got %v, want refusal %s", err, code)
	}
}

// TestSessionDay runs a session's day on the service: supervision, check-in
// with names typed differently, confirmation, the access code, answers
// counted on the board, a second device refused and logged, an alert
// validated, a resumption on a new device, an end by the invigilator.
func TestSessionDay(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		jean, lea := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		x := daySession(t, env, jean, lea)

		if _, err := svc.Supervise(ctx, x.Number, "WRONG1"); err == nil {
			t.Fatal("a wrong invigilator password opened the supervision")
		}
		token, err := svc.Supervise(ctx, x.Number, "acde 34")
		if err != nil {
			t.Fatal(err)
		}
		in := certification.CheckInInput{Session: x.Number, LastName: "DUPONT ELIE", FirstName: "jean", BirthDate: "01/04/1985"}
		_, _, err = svc.CheckIn(ctx, jean, in)
		refusedWith(t, err, certification.CodeNotOpen)
		if _, err := svc.Open(ctx, token); err != nil {
			t.Fatal(err)
		}
		// Not on the list: another birth date, or another account.
		wrong := in
		wrong.BirthDate = "1985-04-02"
		_, _, err = svc.CheckIn(ctx, jean, wrong)
		refusedWith(t, err, certification.CodeNotOnList)
		_, _, err = svc.CheckIn(ctx, lea, in)
		refusedWith(t, err, certification.CodeNotOnList)
		handle, cand, err := svc.CheckIn(ctx, jean, in)
		if err != nil || cand.State != certification.StatePresent {
			t.Fatalf("check-in: %+v %v", cand, err)
		}
		_, err = svc.Start(ctx, jean, handle, "KXQB47")
		refusedWith(t, err, certification.CodeNotConfirmed)
		if _, err := svc.Confirm(ctx, token, cand.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Start(ctx, jean, handle, "KXQB48")
		refusedWith(t, err, certification.CodeAccessCode)
		st, err := svc.Start(ctx, jean, handle, "kxqb-47")
		if err != nil {
			t.Fatal(err)
		}
		tt := st.Test
		answer := func(device string) (*assessments.Test, error) {
			ch, err := env.Sys.Assessments.Challenge(ctx, tt, tt.Current.ChallengeID)
			if err != nil {
				t.Fatal(err)
			}
			return svc.Answer(ctx, jean, tt.ID, device, ch.ID, func(*assessments.Challenge) (assessments.Answer, error) {
				return ch.SampleAnswer(true), nil
			})
		}
		if tt, err = answer(st.Device); err != nil {
			t.Fatal(err)
		}
		// The board: the count, in at most three store commands.
		cctx, counter := database.WithCounter(ctx)
		b, err := svc.Board(cctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Load(); n > 3 {
			t.Errorf("the board cost %d store commands", n)
		}
		if l := b.Candidates[0]; l.State != certification.StateInProgress || l.Answered != 1 || l.Total != 32 {
			t.Errorf("board line %+v", l)
		}
		// A second device is refused and logged.
		if _, err := answer("another-device"); !errors.Is(err, assessments.ErrOtherDevice) {
			t.Fatalf("second device: %v", err)
		}
		// An alert, validated: the question is replaced.
		al, err := svc.Alert(ctx, jean, tt.ID, st.Device, "image")
		if err != nil {
			t.Fatal(err)
		}
		if b, _ = svc.Board(ctx, token); len(b.Candidates[0].Alerts) != 1 {
			t.Fatalf("board alerts %+v", b.Candidates[0].Alerts)
		}
		if _, err := svc.Decide(ctx, token, al.ID, "validate"); err != nil {
			t.Fatal(err)
		}
		if tt, err = svc.Test(ctx, jean, tt.ID, st.Device); err != nil || tt.Current.ChallengeID == al.ChallengeID {
			t.Fatalf("after the validated alert: %v", err)
		}
		// A new device: check in again, the invigilator authorises it, the
		// old one no longer answers.
		if _, cand, err = svc.CheckIn(ctx, jean, in); err != nil || cand.State != certification.StatePresent || !cand.Resume {
			t.Fatalf("resume check-in: %+v %v", cand, err)
		}
		if _, err := svc.Confirm(ctx, token, cand.ID); err != nil {
			t.Fatal(err)
		}
		again, err := svc.Start(ctx, jean, handle, "KXQB47")
		if err != nil || again.Test.ID != tt.ID {
			t.Fatalf("resume: %+v %v", again, err)
		}
		if _, err := answer(st.Device); !errors.Is(err, assessments.ErrOtherDevice) {
			t.Fatalf("old device after resuming: %v", err)
		}
		if tt, err = answer(again.Device); err != nil {
			t.Fatal(err)
		}
		// The invigilator ends the test, with a reason.
		if _, err := svc.End(ctx, token, cand.ID, ""); err == nil {
			t.Fatal("ended without a reason")
		}
		if _, err := svc.End(ctx, token, cand.ID, "Malaise du candidat"); err != nil {
			t.Fatal(err)
		}
		if _, err := answer(again.Device); err == nil {
			t.Fatal("answered after the end")
		}
		_, err = svc.Start(ctx, jean, handle, "KXQB47")
		refusedWith(t, err, certification.CodeTestOver)
		log, err := svc.Store().Log(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range log {
			kinds = append(kinds, e.Kind)
		}
		for _, k := range []string{"open", "checkin", "confirm", "start", "other-device", "alert", "alert-validate", "checkin-resume", "resume", "end"} {
			if !slices.Contains(kinds, k) {
				t.Errorf("the log lacks %q: %v", k, kinds)
			}
		}
	})
}

// TestSupervisionTriesAreLimited: five wrong passwords per session every
// 15 minutes, then even the right one waits.
func TestSupervisionTriesAreLimited(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	x := daySession(t, env)
	for i := range 5 {
		var den *errkind.DeniedError
		if _, err := env.Sys.Certification.Supervise(ctx, x.Number, "BAD"+string(rune('A'+i))); !errors.As(err, &den) {
			t.Fatalf("try %d: %v", i+1, err)
		}
	}
	var rl *errkind.RateLimitedError
	if _, err := env.Sys.Certification.Supervise(ctx, x.Number, "ACDE34"); !errors.As(err, &rl) {
		t.Fatalf("sixth try: %v", err)
	}
}
