// Package queue enqueues background tasks on asynq with Ardoise's rules:
// named priority queues, deterministic task ids so that a retry or a sweep
// never runs one piece of work twice, and a kept result for deduplication.
package queue

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"
)

// Priority picks one of the three queues.
type Priority int

// The priorities, from most to least urgent.
const (
	Critical Priority = iota
	Default
	Low
)

// Names are the queue names. Tests that share one real Redis give each
// package its own prefix, so one package's worker never takes another's tasks.
type Names struct {
	Prefix string
}

// Of returns the queue name for a priority.
func (n Names) Of(p Priority) string {
	switch p {
	case Critical:
		return n.Prefix + "critical"
	case Low:
		return n.Prefix + "low"
	}
	return n.Prefix + "default"
}

// Weights are the asynq queue weights: critical is served six times as often as low.
func (n Names) Weights() map[string]int {
	return map[string]int{n.Of(Critical): 6, n.Of(Default): 3, n.Of(Low): 1}
}

// Client enqueues tasks.
type Client struct {
	c     *asynq.Client
	names Names
}

// NewClient wraps an asynq client.
func NewClient(c *asynq.Client, names Names) *Client {
	return &Client{c: c, names: names}
}

// Names returns the queue names the client uses.
func (c *Client) Names() Names { return c.names }

// Enqueue puts task on the queue of priority p with id as its asynq task id.
// A task with that id already queued (or kept after completion) is not an
// error: the work is already on its way or done.
func (c *Client) Enqueue(ctx context.Context, task *asynq.Task, id string, p Priority, opts ...asynq.Option) error {
	opts = append([]asynq.Option{asynq.TaskID(id), asynq.Queue(c.names.Of(p)), asynq.MaxRetry(10)}, opts...)
	_, err := c.c.EnqueueContext(ctx, task, opts...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("queue: enqueue %s: %w", id, err)
	}
	return nil
}
