package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/queue"
)

// Periodic is a task enqueued once per period. Its task id names the
// period ("profile:clean-tokens:2026-11-29T00:00:00Z"), so several worker
// processes, each with its own schedule, still enqueue it once.
type Periodic struct {
	Type     string
	Every    time.Duration
	Priority queue.Priority
}

// Schedule enqueues periodic tasks at the start of each period.
type Schedule struct {
	q       *queue.Client
	entries []Periodic
	logger  *slog.Logger
	last    map[string]time.Time
}

// NewSchedule returns a schedule of entries enqueued through q.
func NewSchedule(q *queue.Client, logger *slog.Logger, entries ...Periodic) *Schedule {
	return &Schedule{q: q, entries: entries, logger: logger, last: map[string]time.Time{}}
}

// Tick enqueues the entries whose current period (at now) this schedule has
// not enqueued yet.
func (s *Schedule) Tick(ctx context.Context, now time.Time) {
	for _, p := range s.entries {
		period := now.UTC().Truncate(p.Every)
		if s.last[p.Type].Equal(period) {
			continue
		}
		id := p.Type + ":" + period.Format(time.RFC3339)
		// Keep the finished task past the period, so a late process cannot enqueue it again.
		err := s.q.Enqueue(ctx, asynq.NewTask(p.Type, nil), id, p.Priority, asynq.Retention(p.Every+time.Hour))
		if err != nil {
			s.logger.Warn("schedule", "task", id, "err", err)
			continue
		}
		s.last[p.Type] = period
	}
}

func (s *Schedule) run(ctx context.Context, wg *sync.WaitGroup, every time.Duration) {
	defer wg.Done()
	s.Tick(ctx, time.Now())
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.Tick(ctx, now)
		}
	}
}
