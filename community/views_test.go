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

// A view count that cannot be written (the thread's lock held past the
// wait) does not fail the reader's page: the count goes back to the buffer
// and is written later.
func TestViewCountNeverFailsARead(t *testing.T) {
	env := testenv.New(t, testenv.WithoutServer(), testenv.WithoutWorker())
	ctx := testenv.Ctx(t)
	svc := env.Sys.Community
	u := veteran(t, env, profile.RoleLearner)
	th, _, err := svc.CreateThread(ctx, u, "academie-lyon", community.NewThread{Title: "Un fil très occupé", Body: "Un message."})
	if err != nil {
		t.Fatal(err)
	}
	release, err := community.NewStore(env.Sys.DB, env.Sys.Claims).LockThread(ctx, th.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The tenth view is due for writing; the lock is held: the write waits,
	// gives up, and the read still answers.
	for i := range 10 {
		if _, err := svc.Thread(ctx, u, th.ID, 0); err != nil {
			t.Fatalf("view %d while the thread is locked: %v", i+1, err)
		}
	}
	release()
	if err := svc.Close(ctx); err != nil {
		t.Fatal(err)
	}
	threads, err := svc.ThreadsBy(ctx, u.ID)
	if err != nil || len(threads) != 1 || threads[0].Views != 10 {
		t.Fatalf("views after the lock was released and the service closed: %+v %v, want 10", threads, err)
	}
}
