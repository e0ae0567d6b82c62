package assessments_test

import (
	"testing"

	"ardoise/assessments"
	"ardoise/internal/boot"
	"ardoise/internal/testenv"
)

// finish answers a test to its end, every other answer right.
func finish(t *testing.T, svc *assessments.Service, o assessments.Owner, tt *assessments.Test) *assessments.Test {
	t.Helper()
	ctx := testenv.Ctx(t)
	var err error
	for tt.State == assessments.StateStarted {
		ch, _ := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
		if tt, err = svc.Answer(ctx, tt.ID, o, ch.ID, ch.SampleAnswer(tt.Answered%2 == 0)); err != nil {
			t.Fatal(err)
		}
	}
	return tt
}

// TestRetakeAvoidsSeenChallenges: a retake of the whole CRCN remembers the
// first test's questions and asks none of them again (the bank has more
// than twice a test's length), and a third test remembers both.
func TestRetakeAvoidsSeenChallenges(t *testing.T) {
	env := testenv.New(t, testenv.WithConfig(func(c *boot.Config) { c.RetryCooldown = 0 }))
	svc := env.Sys.Assessments
	ctx := testenv.Ctx(t)
	o := assessments.Owner{AnonKey: "navigateur-retake"}
	scope := assessments.Scope{Framework: "crcn"}
	start := func() *assessments.Test {
		tt, err := svc.Start(ctx, o, scope, false)
		if err != nil {
			t.Fatal(err)
		}
		return finish(t, svc, o, tt)
	}
	first := start()
	second := start()
	if len(second.Seen) != len(first.Answers) {
		t.Fatalf("the retake remembers %d challenges, the first test asked %d", len(second.Seen), len(first.Answers))
	}
	asked := map[string]bool{}
	for _, a := range first.Answers {
		asked[a.ChallengeID] = true
	}
	for _, a := range second.Answers {
		if asked[a.ChallengeID] {
			t.Errorf("the retake asked %s again", a.ChallengeID)
		}
	}
	third := start()
	if len(third.Seen) != len(first.Answers)+len(second.Answers) {
		t.Fatalf("the third test remembers %d challenges, want %d", len(third.Seen), len(first.Answers)+len(second.Answers))
	}
}
