package worker_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/worker"
)

// TestScheduleEnqueuesOncePerPeriod runs two schedules, as two worker
// processes would: each period's task is enqueued once.
func TestScheduleEnqueuesOncePerPeriod(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	entry := worker.Periodic{Type: "test:periodic", Every: time.Hour, Priority: queue.Low}
	a := worker.NewSchedule(env.Sys.Queue, logger, entry)
	b := worker.NewSchedule(env.Sys.Queue, logger, entry)
	now := time.Date(2026, 11, 29, 10, 5, 0, 0, time.UTC)
	a.Tick(testenv.Ctx(t), now)
	b.Tick(testenv.Ctx(t), now.Add(20*time.Minute))
	a.Tick(testenv.Ctx(t), now.Add(30*time.Minute))
	insp := asynq.NewInspector(env.Sys.AsynqOpt)
	defer insp.Close()
	name := env.Sys.Queue.Names().Of(queue.Low)
	tasks, err := insp.ListPendingTasks(name)
	if err != nil || len(tasks) != 1 || tasks[0].ID != "test:periodic:2026-11-29T10:00:00Z" {
		t.Fatalf("after three ticks in one period: %v %v", tasks, err)
	}
	b.Tick(testenv.Ctx(t), now.Add(time.Hour))
	if tasks, _ := insp.ListPendingTasks(name); len(tasks) != 2 {
		t.Fatalf("next period: %d tasks, want 2", len(tasks))
	}
}
