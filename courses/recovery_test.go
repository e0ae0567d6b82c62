package courses_test

import (
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/queue"
	"ardoise/internal/testenv"
)

// TestCompletionCreditsOnceWhateverFails: two completion events at once,
// the credit task run twice at once (a worker killed after writing the line
// but before clearing its marker), the queue lost, the sweeper run twice,
// and a move to a newer version afterwards: one ledger line, one
// attestation, one mail.
func TestCompletionCreditsOnceWhateverFails(t *testing.T) {
	env := testenv.New(t, testenv.WithOwnRedis(), testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	svc := env.Sys.Courses
	// The clock starts in the past, so that the markers written are old
	// enough for the sweeper once the beats have moved it on.
	const slug = "module-robuste"
	src := learningSource("Robuste")
	c, teacher := enrolled(t, env, slug, src, time.Now().Add(-time.Hour))
	readPages(t, svc, c, teacher.ID, slug, 10, "01-intro", "02-suite")
	// Two right answers at once: each would complete the module.
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := svc.Answer(ctx, teacher.ID, slug, "q1", []string{"a"}); err != nil && !errors.Is(err, errkind.ErrConflict) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	e, _, err := svc.Enrolment(ctx, teacher.ID, slug)
	if err != nil || !e.Done() {
		t.Fatalf("not completed: %+v %v", e, err)
	}
	// The credit task runs twice at once, as after a worker killed mid-task.
	task := asynq.NewTask(courses.TypeCreditHours, []byte(`{"e":"`+e.ID+`"}`))
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.HandleCreditHours(ctx, task); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// The queue is lost with everything in it; the worker starts afresh.
	if err := env.Redis.Restart(); err != nil {
		t.Fatal(err)
	}
	env.StartWorker(t)
	sweeper := queue.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
	lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(c.now()))
	testenv.Eventually(t, 20*time.Second, "the attestation after sweeping", func() bool {
		if _, err := sweeper.SweepOnce(ctx); err != nil {
			t.Fatal(err)
		}
		l, err := svc.Line(ctx, lineID)
		certs, _ := env.Sys.Certificates.ForHolder(ctx, teacher.ID)
		return err == nil && len(l.Pending) == 0 && len(certs) == 1
	})
	// A newer version cannot be completed again by the same enrolment.
	src.Files["02-suite.md"] = []byte("---\ntitle: Suite\n---\nRéécrite.\n")
	publishModule(t, env, slug, src)
	if _, err := svc.MoveToLatest(ctx, teacher.ID, slug); !errors.Is(err, errkind.ErrConflict) {
		t.Fatalf("move after completion: %v", err)
	}
	if err := svc.HandleCreditHours(ctx, task); err != nil {
		t.Fatal(err)
	}
	if _, err := sweeper.SweepOnce(ctx); err != nil {
		t.Fatal(err)
	}
	env.DrainQueues(t, 10*time.Second) // whatever the retry and the sweep enqueued has run
	hours, err := svc.HoursOf(ctx, teacher.ID)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, y := range hours {
		lines += len(y.Lines)
	}
	if lines != 1 {
		t.Errorf("%d ledger lines, want 1", lines)
	}
	certs, err := env.Sys.Certificates.ForHolder(ctx, teacher.ID)
	if err != nil || len(certs) != 1 {
		t.Fatalf("%d attestations (%v), want 1", len(certs), err)
	}
	// PDFs are keyed by certificate: one certificate, one PDF.
	if pdf, _, err := env.Sys.Certificates.PDF(ctx, certs[0].ID, teacher.ID, false); err != nil || len(pdf) == 0 {
		t.Errorf("the attestation has no PDF: %v", err)
	}
	if msgs, _ := env.Sys.Mailer.To(ctx, teacher.Email); len(msgs) != 1 {
		t.Errorf("%d mails, want 1", len(msgs))
	}
	if l, _ := svc.Line(ctx, lineID); l.Version != 1 || len(l.Events) != 1 {
		t.Errorf("line rewritten: %+v", l)
	}
}
