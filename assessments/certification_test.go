package assessments_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
)

// TestCertificationPoolIsSeparate: positioning never serves a
// certification challenge, and a certification serves only those, 32 of
// them, under its own preset.
func TestCertificationPoolIsSeparate(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	svc := env.Sys.Assessments
	bank := svc.Bank()
	pool := 0
	f, _ := bank.Framework("crcn")
	for _, ch := range f.Challenges {
		if ch.Certification {
			pool++
		}
	}
	if pool < 32 {
		t.Fatalf("certification pool: %d challenges", pool)
	}
	for seed := range int64(20) {
		svc.SetSeed(seed)
		sim, err := svc.SimulateCertification(seed, func(n int, _ *assessments.Challenge) bool { return n%3 != 0 })
		if err != nil {
			t.Fatal(err)
		}
		if sim.Config.Name != "ardoise-certification-1" || sim.Config.MaxLength != 32 || sim.Config.MinLength != 32 {
			t.Fatalf("config %+v", sim.Config)
		}
		if n := sim.Counted(); n != 32 {
			t.Errorf("seed %d: %d questions counted, want 32", seed, n)
		}
		for _, a := range sim.Answers {
			if ch, _ := bank.Challenge(a.ChallengeID); !ch.Certification {
				t.Errorf("certification served positioning challenge %s", a.ChallengeID)
			}
		}
	}
	ctx := testenv.Ctx(t)
	o := assessments.Owner{AnonKey: "pool"}
	for seed := range int64(10) {
		svc.SetSeed(seed)
		tt, err := svc.Start(ctx, assessments.Owner{AnonKey: o.AnonKey + string(rune('a'+seed))}, assessments.Scope{Framework: "crcn"}, false)
		if err != nil {
			t.Fatal(err)
		}
		if ch, _ := bank.Challenge(tt.Current.ChallengeID); ch.Certification {
			t.Errorf("positioning served certification challenge %s", ch.ID)
		}
	}
}

// TestCertificationReplaysExactly: 1,000 simulated certifications, with
// voided questions, each recomputed from its recorded inputs bit for bit;
// a changed answer is caught.
func TestCertificationReplaysExactly(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	svc := env.Sys.Assessments
	r := rand.New(rand.NewPCG(15, 1))
	for i := range 1000 {
		ability := r.Float64()
		sim, err := svc.SimulateCertification(r.Int64(), func(_ int, ch *assessments.Challenge) bool {
			return r.Float64() < ability+0.1*float64(3-ch.Level)
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.ReplayInMemory(sim)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Match {
			t.Fatalf("certification %d does not replay: %v", i, rep.Problems)
		}
		if i == 0 {
			// A tampered answer no longer matches the content.
			sim.Answers[0].Correct = !sim.Answers[0].Correct
			if rep, _ := svc.ReplayInMemory(sim); rep.Match {
				t.Fatal("a flipped answer replays as a match")
			}
		}
	}
}

// TestCertificationRules runs the certification rules on the store: one
// device, the page left, an adjustment, a voided question, the deadline,
// an early end, two commands an answer, no positioning history, and a
// replay that matches.
func TestCertificationRules(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		svc := env.Sys.Assessments
		ctx := testenv.Ctx(t)
		u := env.CreateUser(t, "learner")
		start := func(accessible bool) *assessments.Test {
			tt, err := svc.StartCertification(ctx, assessments.CertificationStart{UserID: u.ID, Framework: "crcn",
				Accessible: accessible, Deadline: time.Now().Add(time.Hour), Device: "device-1", Session: "s", Candidate: "c"})
			if err != nil {
				t.Fatal(err)
			}
			return tt
		}
		dev := assessments.Owner{UserID: u.ID, Device: "device-1"}
		tt := start(false)
		answer := func(tt *assessments.Test, o assessments.Owner, right bool) (*assessments.Test, error) {
			ch, err := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
			if err != nil {
				t.Fatal(err)
			}
			return svc.Answer(ctx, tt.ID, o, ch.ID, ch.SampleAnswer(right))
		}
		// Another device of the same account is refused; positioning's
		// reads do not see the test.
		if _, err := answer(tt, assessments.Owner{UserID: u.ID, Device: "device-2"}, true); !errors.Is(err, assessments.ErrOtherDevice) {
			t.Fatalf("second device: %v", err)
		}
		if _, err := svc.Test(ctx, tt.ID, assessments.Owner{UserID: u.ID}); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("positioning read of a certification: %v", err)
		}
		// An answer costs two store commands.
		cctx, counter := database.WithCounter(ctx)
		ch, _ := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
		tt, err := svc.Answer(cctx, tt.ID, dev, ch.ID, ch.SampleAnswer(true))
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Load(); n != 2 {
			t.Errorf("a certification answer cost %d store commands, want 2", n)
		}
		// The page left the question: the right answer counts wrong.
		if err := svc.RecordFocusLossOn(ctx, tt.ID, dev, tt.Current.ChallengeID); err != nil {
			t.Fatal(err)
		}
		if tt, err = answer(tt, dev, true); err != nil {
			t.Fatal(err)
		}
		if last := tt.Answers[len(tt.Answers)-1]; last.Correct || !last.FocusLost {
			t.Errorf("answer after leaving the page: %+v", last)
		}
		// A voided question is replaced and does not count.
		voided := tt.Current.ChallengeID
		if tt, err = svc.VoidCurrent(ctx, tt.ID, voided); err != nil {
			t.Fatal(err)
		}
		if tt.Current.ChallengeID == voided || tt.Counted() != 2 || tt.Answered != 3 {
			t.Errorf("after the void: current %s, counted %d, answered %d", tt.Current.ChallengeID, tt.Counted(), tt.Answered)
		}
		// The invigilator ends it: a result on the answers given, which
		// replays, and no positioning history.
		if tt, err = svc.EndCertification(ctx, tt.ID, assessments.EndInvigilator); err != nil {
			t.Fatal(err)
		}
		if tt.State != assessments.StateFinished || tt.Result == nil || tt.EndReason != assessments.EndInvigilator {
			t.Fatalf("ended: %+v", tt)
		}
		if rep, err := svc.Replay(ctx, tt.ID); err != nil || !rep.Match {
			t.Fatalf("replay: %+v %v", rep, err)
		}
		if h, err := svc.History(ctx, u.ID); err != nil || len(h) != 0 {
			t.Errorf("history shows %d certification tests (%v)", len(h), err)
		}
		// With an adjustment, leaving the page changes nothing.
		adj := start(true)
		if err := svc.RecordFocusLossOn(ctx, adj.ID, dev, adj.Current.ChallengeID); err != nil {
			t.Fatal(err)
		}
		if adj, err = answer(adj, dev, true); err != nil {
			t.Fatal(err)
		}
		if last := adj.Answers[0]; !last.Correct || last.FocusLost {
			t.Errorf("adjusted answer after leaving the page: %+v", last)
		}
		// Past the deadline, an answer ends the test without counting.
		svc.SetNow(func() time.Time { return time.Now().Add(2 * time.Hour) })
		defer svc.SetNow(time.Now)
		late, err := answer(adj, dev, true)
		if err != nil {
			t.Fatal(err)
		}
		if late.State != assessments.StateFinished || late.EndReason != assessments.EndTime || late.Counted() != 1 {
			t.Errorf("after the deadline: state %s, reason %s, counted %d", late.State, late.EndReason, late.Counted())
		}
	})
}
