package worker_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	queuepkg "ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestSweeperRecoversLostTasks loses the queue (the embedded Redis restarts
// empty) between a registration and its welcome mail: the pending marker in
// the user document brings the mail back, exactly once.
func TestSweeperRecoversLostTasks(t *testing.T) {
	env := testenv.New(t, testenv.WithOwnRedis(), testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	u, err := env.Sys.Profile.Register(ctx, profile.RegisterInput{
		Email: "perdu@exemple.fr", Password: "une phrase de passe", Name: "Paul Perdu", Kind: "parent",
	})
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(env.Sys.AsynqOpt)
	defer insp.Close()
	queue := env.Sys.Queue.Names().Of(queuepkg.Default)
	info, err := insp.GetQueueInfo(queue)
	if err != nil || info.Pending != 1 {
		t.Fatalf("before the loss: %+v %v", info, err)
	}
	if err := env.Redis.Restart(); err != nil {
		t.Fatal(err)
	}
	if info, err := insp.GetQueueInfo(queue); err == nil && info.Pending != 0 {
		t.Fatalf("the restart kept the task: %+v", info)
	}
	env.StartWorker(t)
	env.DrainQueues(t, 10*time.Second)
	if msgs, _ := env.Sys.Mailer.To(ctx, u.Email); len(msgs) != 0 {
		t.Fatalf("a mail was sent without its task: %v", msgs)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	// A fresh marker is left alone: its task may still be on its way.
	if n, err := queuepkg.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, logger, time.Minute).SweepOnce(ctx); err != nil || n != 0 {
		t.Fatalf("fresh marker swept: %d %v", n, err)
	}
	old := queuepkg.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, logger, 0)
	for i := 0; i < 2; i++ { // twice: the second finds the task already queued
		if n, err := old.SweepOnce(ctx); err != nil || (i == 0 && n != 1) {
			t.Fatalf("sweep %d: %d %v", i, n, err)
		}
	}
	testenv.Eventually(t, 10*time.Second, "welcome mail after the sweep", func() bool {
		msgs, _ := env.Sys.Mailer.To(ctx, u.Email)
		return len(msgs) == 1
	})
	testenv.Eventually(t, 10*time.Second, "marker cleared", func() bool {
		got, err := env.Sys.Profile.User(ctx, u.ID)
		return err == nil && len(got.Pending) == 0
	})
	if _, err := old.SweepOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := env.Sys.Profile.User(ctx, u.ID)
	if !got.PendingAt.IsZero() {
		t.Errorf("pendingAt left after all markers are done: %v", got.PendingAt)
	}
	env.DrainQueues(t, 10*time.Second) // the second sweep's task, if any, has run
	if msgs, _ := env.Sys.Mailer.To(context.Background(), u.Email); len(msgs) != 1 {
		t.Errorf("%d mails, want exactly 1", len(msgs))
	}
}
