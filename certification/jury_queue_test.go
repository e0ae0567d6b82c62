package certification_test

import (
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/certification"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestJuryQueue: a finalized session is in the jury's queue with what
// waits for a decision; only admins read it; a published session leaves
// it, and an entry its removal missed (a crash) is not shown.
func TestJuryQueue(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		referent, jury := env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleAdmin)
		jean, lea := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
		x, tests := afterDay(t, env, referent, []*profile.User{jean, lea}, []int{0, 3})

		if q, err := svc.JuryQueue(ctx, jury); err != nil || len(q) != 0 {
			t.Fatalf("queue before: %v %v", q, err)
		}
		if _, err := svc.Finalize(ctx, referent, x.ID, certification.FinalizeInput{Reasons: map[string]string{"c2": "Malaise"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.JuryQueue(ctx, jean); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("a learner reads the queue: %v", err)
		}
		q, err := svc.JuryQueue(ctx, jury)
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != 1 || q[0].Session.ID != x.ID || q[0].CentreName != "INSPÉ de Lyon" || q[0].ToReview != 1 || q[0].Errors != 0 {
			t.Fatalf("queue: %+v", q)
		}

		if _, err := svc.JuryDecide(ctx, jury, tests[1].ID, certification.DecisionCancel, "Malaise"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, jury, x.ID); err != nil {
			t.Fatal(err)
		}
		if q, err := svc.JuryQueue(ctx, jury); err != nil || len(q) != 0 {
			t.Fatalf("queue after publication: %+v %v", q, err)
		}
		// A crash between publication and the queue's update leaves the entry: it is skipped.
		if _, err := env.Sys.DB.Collection(certification.DesksCollection).UpdateOne(ctx, bson.M{"_id": "~jury"},
			bson.M{"$set": bson.M{"sessions": []string{x.ID}}}); err != nil {
			t.Fatal(err)
		}
		if q, err := svc.JuryQueue(ctx, jury); err != nil || len(q) != 0 {
			t.Fatalf("queue with a stale entry: %+v %v", q, err)
		}
	})
}
