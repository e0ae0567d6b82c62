package testenv

import (
	"fmt"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/queue"
)

// DrainQueues waits, up to timeout, until the env's three queues hold no
// pending, active, scheduled, retrying or aggregating task: every task
// enqueued so far has run (or been archived). A test that asserts that
// something did not happen calls it first, instead of sleeping.
func (e *Env) DrainQueues(t testing.TB, timeout time.Duration) {
	t.Helper()
	insp := asynq.NewInspector(e.Sys.AsynqOpt)
	defer insp.Close()
	names := e.Sys.Queue.Names()
	ours := map[string]bool{names.Of(queue.Critical): true, names.Of(queue.Default): true, names.Of(queue.Low): true}
	deadline := time.Now().Add(timeout)
	for {
		busy := ""
		queues, err := insp.Queues() // a queue nothing was ever enqueued on is not there
		if err != nil {
			busy = " " + err.Error()
		}
		for _, q := range queues {
			if !ours[q] {
				continue // another package's queues, on a shared Redis
			}
			info, err := insp.GetQueueInfo(q)
			switch {
			case err != nil:
				busy += fmt.Sprintf(" %s: %v;", q, err)
			case info.Pending+info.Active+info.Scheduled+info.Retry+info.Aggregating != 0:
				busy += fmt.Sprintf(" %s: %d pending, %d active, %d scheduled, %d retry, %d aggregating;",
					q, info.Pending, info.Active, info.Scheduled, info.Retry, info.Aggregating)
			}
		}
		if busy == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("testenv: the queues did not drain within %s:%s", timeout, busy)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
