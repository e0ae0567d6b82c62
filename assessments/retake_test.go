package assessments_test

import (
	"testing"

	"ardoise/assessments"
	"ardoise/internal/boot"
	"ardoise/internal/testenv"
)

// TestRetakeAvoidsSeenChallenges: a retake of the whole CRCN remembers the
// first test's questions and asks none of them again (the bank has more
// than twice a test's length), and a third test remembers both.
func TestRetakeAvoidsSeenChallenges(t *testing.T) {
	env := testenv.New(t, testenv.WithConfig(func(c *boot.Config) { c.RetryCooldown = 0 }))
	svc := env.Sys.Assessments
	ctx := testenv.Ctx(t)
	o := assessments.Owner{AnonKey: "navigateur-retake"}
	scope := assessments.Scope{Framework: "crcn"}
	// Fixed seeds: with a random one, Sympson–Hetter sometimes turns every
	// unseen item of a competence down, and the engine then relaxes
	// freshness before exposure (irt/select.go), so one seed in a few
	// dozen re-asks a question. The order of those relaxations is an
	// engine decision left open (docs/assessments.md, "retakes").
	seed := int64(0)
	start := func() *assessments.Test {
		seed++
		svc.SetSeed(seed)
		tt, err := svc.Start(ctx, o, scope, false)
		if err != nil {
			t.Fatal(err)
		}
		return env.FinishTest(t, o, tt)
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
