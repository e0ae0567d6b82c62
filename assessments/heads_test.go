package assessments_test

import (
	"testing"

	"ardoise/assessments"
	"ardoise/internal/database"
	"ardoise/internal/testenv"
)

// TestStartReadsTheHead: starting again resumes the test in progress, in
// three store commands at most (the head, then the test by _id, and the
// archive when the test moved there); tests claimed at registration
// count as the person's; tests from before heads are counted by the
// start-up migration, after which a start resumes them too.
func TestStartReadsTheHead(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Assessments
		crcn := assessments.Scope{Framework: "crcn"}
		anon := assessments.Owner{AnonKey: "navigateur-tete"}
		first, err := svc.Start(ctx, anon, crcn, false)
		if err != nil {
			t.Fatal(err)
		}
		cctx, counter := database.WithCounter(ctx)
		again, err := svc.Start(cctx, anon, crcn, false)
		if err != nil || again.ID != first.ID {
			t.Fatalf("a second start: %v %v, want the test %s", again, err, first.ID)
		}
		if n := counter.Load(); n > 3 {
			t.Errorf("resuming cost %d store commands, want at most 3", n)
		}

		u := env.CreateUser(t, "learner")
		if _, err := svc.Claim(ctx, anon.AnonKey, u.ID); err != nil {
			t.Fatal(err)
		}
		person := assessments.Owner{UserID: u.ID}
		if got, err := svc.Start(ctx, person, crcn, false); err != nil || got.ID != first.ID {
			t.Fatalf("the person's start after the claim: %v %v, want the claimed test %s", got, err, first.ID)
		}
		if got, err := svc.Start(ctx, anon, crcn, false); err != nil || got.ID == first.ID {
			t.Fatalf("the browser's start after the claim: %v %v, want a new test", got, err)
		}

		st := assessments.StoreOf(svc)
		if err := st.ForgetHeads(ctx); err != nil {
			t.Fatal(err)
		}
		if err := svc.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got, err := svc.Start(ctx, person, crcn, false); err != nil || got.ID != first.ID {
			t.Fatalf("after the migration: %v %v, want the test %s", got, err, first.ID)
		}
		if n, err := st.BuildHeads(ctx); err != nil || n != 0 {
			t.Fatalf("a second migration counted %d tests: %v", n, err)
		}
	})
}
