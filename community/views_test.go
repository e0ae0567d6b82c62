package community_test

import (
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// A thread seen fewer times than a write takes is counted when the
// service closes: the buffered views are not lost at shutdown.
func TestViewsFlushedAtClose(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Community
		u := veteran(t, env, profile.RoleLearner)
		th, _, err := svc.CreateThread(ctx, u, "academie-lyon", community.NewThread{Title: "Des vues à compter", Body: "Un message."})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := svc.Thread(ctx, u, th.ID, 0); err != nil {
				t.Fatal(err)
			}
		}
		views := func() int {
			t.Helper()
			threads, err := svc.ThreadsBy(ctx, u.ID)
			if err != nil || len(threads) != 1 {
				t.Fatalf("threads by the author: %v %v", threads, err)
			}
			return threads[0].Views
		}
		if err := svc.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := views(); n != 3 {
			t.Fatalf("views after close: %d, want 3", n)
		}
	})
}

// A thread seen once is counted by the service's ticker, without a later
// view or a shutdown to write it.
func TestViewsFlushedByTicker(t *testing.T) {
	env := testenv.New(t, testenv.WithoutServer(), testenv.WithoutWorker())
	ctx := testenv.Ctx(t)
	svc := env.Sys.Community
	u := veteran(t, env, profile.RoleLearner)
	th, _, err := svc.CreateThread(ctx, u, "academie-lyon", community.NewThread{Title: "Une seule vue", Body: "Un message."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Thread(ctx, u, th.ID, 0); err != nil {
		t.Fatal(err)
	}
	// The ticker writes every 10 s: within 15 s the view is in the store.
	testenv.Eventually(t, 15*time.Second, "the buffered view written by the ticker", func() bool {
		threads, err := svc.ThreadsBy(ctx, u.ID)
		return err == nil && len(threads) == 1 && threads[0].Views == 1
	})
}
