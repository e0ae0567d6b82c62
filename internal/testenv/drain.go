package testenv

import (
	"errors"
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
	queues := []string{names.Of(queue.Critical), names.Of(queue.Default), names.Of(queue.Low)}
	Eventually(t, timeout, "the queues drained", func() bool {
		for _, q := range queues {
			info, err := insp.GetQueueInfo(q)
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue // nothing was ever enqueued there
			}
			if err != nil || info.Pending+info.Active+info.Scheduled+info.Retry+info.Aggregating != 0 {
				return false
			}
		}
		return true
	})
}
