// Package worker wires Ardoise's background work onto asynq: the handlers
// that domains provide, the queues and their priorities, the schedule of
// periodic tasks and the outbox sweeper. Task types, payloads and handlers
// live in the domain that owns the work.
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/certificates"
	"ardoise/certification"
	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/metrics"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// Deps are what the worker runs.
type Deps struct {
	RedisOpt asynq.RedisConnOpt
	Queue    *queue.Client
	// Outbox and DB are what the sweeper reads: every registered marker's collection.
	Outbox *queue.Outbox
	DB     *database.DB
	// Claims are the document locks the sweeper writes under.
	Claims       *claim.Claims
	Profile      *profile.Service
	Assessments  *assessments.Service
	Courses      *courses.Service
	Certificates *certificates.Service
	Community    *community.Service
	Campaigns    *campaigns.Service
	Territories  *campaigns.Territories
	// Certification issues published sessions' certificates.
	Certification *certification.Service
	Metrics       *metrics.Metrics
	Logger        *slog.Logger
	// SweepEvery and ScheduleEvery default to 20 s; tests shorten them.
	SweepEvery    time.Duration
	ScheduleEvery time.Duration
	Concurrency   int
}

// Worker processes tasks until Shutdown.
type Worker struct {
	d       Deps
	srv     *asynq.Server
	sweeper *queue.Sweeper
	sched   *Schedule
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// New builds the worker.
func New(d Deps) *Worker {
	if d.SweepEvery == 0 {
		d.SweepEvery = 20 * time.Second
	}
	if d.ScheduleEvery == 0 {
		d.ScheduleEvery = 20 * time.Second
	}
	if d.Concurrency == 0 {
		d.Concurrency = 10
	}
	w := &Worker{d: d}
	w.srv = asynq.NewServer(d.RedisOpt, asynq.Config{
		Concurrency:     d.Concurrency,
		Queues:          d.Queue.Names().Weights(),
		ShutdownTimeout: 6 * time.Second,
		Logger:          asynqLogger{d.Logger},
		LogLevel:        asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			d.Logger.Warn("task failed", "type", t.Type(), "err", err)
		}),
	})
	w.sweeper = queue.NewSweeper(d.DB, d.Outbox, d.Claims, d.Logger, queue.DefaultSweepAge)
	w.sched = NewSchedule(d.Queue, d.Logger,
		Periodic{Type: profile.TypeCleanTokens, Every: 24 * time.Hour, Priority: queue.Low},
		Periodic{Type: assessments.TypeCleanAnonymous, Every: 24 * time.Hour, Priority: queue.Low},
		Periodic{Type: assessments.TypeCalibrate, Every: 7 * 24 * time.Hour, Priority: queue.Low},
		Periodic{Type: community.TypeDigestDaily, Every: community.Day, Priority: queue.Low},
		Periodic{Type: community.TypeDigestWeekly, Every: community.Week, Priority: queue.Low},
		Periodic{Type: campaigns.TypeTerritorySnapshot, Every: 24 * time.Hour, Priority: queue.Low},
	)
	return w
}

// Sweeper returns the outbox sweeper (tests call SweepOnce).
func (w *Worker) Sweeper() *queue.Sweeper { return w.sweeper }

func (w *Worker) mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Use(w.observe)
	mux.HandleFunc(profile.TypeSendMail, w.d.Profile.HandleSendMail)
	mux.HandleFunc(profile.TypeCleanTokens, w.d.Profile.HandleCleanTokens)
	mux.HandleFunc(assessments.TypeCopyResponses, w.d.Assessments.HandleCopyResponses)
	mux.HandleFunc(assessments.TypeCleanAnonymous, w.d.Assessments.HandleCleanAnonymous)
	mux.HandleFunc(assessments.TypeCalibrate, w.d.Assessments.HandleCalibrate)
	mux.HandleFunc(courses.TypeCreditHours, w.d.Courses.HandleCreditHours)
	mux.HandleFunc(courses.TypeCreditSession, w.d.Courses.HandleCreditSession)
	mux.HandleFunc(courses.TypeLinePage, w.d.Courses.HandleLinePage)
	mux.HandleFunc(certificates.TypeIssue, w.d.Certificates.HandleIssue)
	mux.HandleFunc(certificates.TypeCredential, w.d.Certificates.HandleCredential)
	mux.HandleFunc(certificates.TypeStatus, w.d.Certificates.HandleStatus)
	mux.HandleFunc(certification.TypeCertificates, w.d.Certification.HandleCertificates)
	mux.HandleFunc(community.TypeNotify, w.d.Community.HandleNotify)
	mux.HandleFunc(community.TypePage, w.d.Community.HandlePage)
	mux.HandleFunc(community.TypeNotePage, w.d.Community.HandleNotePage)
	mux.HandleFunc(community.TypeThreadList, w.d.Community.HandleThreadList)
	mux.HandleFunc(community.TypeDigestDaily, w.d.Community.HandleDigestDaily)
	mux.HandleFunc(community.TypeDigestWeekly, w.d.Community.HandleDigestWeekly)
	mux.HandleFunc(campaigns.TypeCount, w.d.Campaigns.HandleCount)
	mux.HandleFunc(campaigns.TypeTerritorySnapshot, w.d.Territories.HandleSnapshot)
	return mux
}

// observe counts tasks processed and failed by type.
func (w *Worker) observe(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		err := next.ProcessTask(ctx, t)
		w.d.Metrics.TasksDone.WithLabelValues(t.Type()).Inc()
		if err != nil {
			w.d.Metrics.TasksFailed.WithLabelValues(t.Type()).Inc()
		}
		return err
	})
}

// Start starts processing, the schedule and the sweeper.
func (w *Worker) Start() error {
	if err := w.srv.Start(w.mux()); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.wg.Add(2)
	go func() {
		defer w.wg.Done()
		w.sweeper.Run(ctx, w.d.SweepEvery)
	}()
	go w.sched.run(ctx, &w.wg, w.d.ScheduleEvery)
	return nil
}

// Shutdown stops the sweeper and the schedule first (they only enqueue),
// then lets asynq finish or hand back the tasks in progress.
func (w *Worker) Shutdown() {
	if w.cancel != nil {
		w.cancel()
	}
	w.wg.Wait()
	w.srv.Shutdown()
}

// asynqLogger sends asynq's own logs to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
