package community

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
)

// TypeThreadList copies a thread into its space's list (Store.
// CopyThreadToList) when the copy that follows every write of the thread
// did not happen: a crash between the two, or a failed copy. Its marker,
// markerList, is written by the same update that changes the thread.
const TypeThreadList = "community:thread-list"

type threadListPayload struct {
	Thread string `json:"t"`
}

// NewThreadListTask returns the task that copies a thread into its list.
func NewThreadListTask(threadID string) (*asynq.Task, error) {
	p, err := json.Marshal(threadListPayload{Thread: threadID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeThreadList, p), nil
}

// HandleThreadList copies the thread's current state into its space's
// list and clears its list marker (Store.CopyThreadToList, idempotent).
func (s *Service) HandleThreadList(ctx context.Context, t *asynq.Task) error {
	var pl threadListPayload
	if err := json.Unmarshal(t.Payload(), &pl); err != nil {
		return fmt.Errorf("community: thread list payload: %v: %w", err, asynq.SkipRetry)
	}
	return s.store.CopyThreadToList(ctx, pl.Thread)
}

// copyToList follows every write of a thread: it copies the thread into
// its space's list at once. The write has happened, so a failed copy
// fails nothing: its task is enqueued, and the marker the write left
// brings the sweeper back to it if the queue loses the task.
func (s *Service) copyToList(ctx context.Context, threadID string) {
	err := s.store.CopyThreadToList(ctx, threadID)
	for try := 1; try < 3 && errors.Is(err, errkind.ErrConflict); try++ {
		err = s.store.CopyThreadToList(ctx, threadID) // a burst of writers held the space's list past its wait
	}
	if err != nil {
		s.logger.Warn("copy of a thread to its list failed; its task will retry", "thread", threadID, "err", err)
		s.outbox.After(ctx, ThreadsCollection, threadID, markerList)
	}
}

// threadCursor is the cursor of a page of a space's threads: the sort key
// of the last thread shown, then "~" and the list page the next one starts
// from. A cursor without the hint (from before lists) reads from the
// newest page.
func threadCursor(key string, hint int) string {
	if hint < 0 {
		return key
	}
	return key + "~" + strconv.Itoa(hint)
}

// parseThreadCursor splits a cursor; a malformed hint is ignored (-1).
func parseThreadCursor(c string) (key string, hint int) {
	key, h, ok := strings.Cut(c, "~")
	if !ok {
		return c, -1
	}
	n, err := strconv.Atoi(h)
	if err != nil || n < 0 {
		return key, -1
	}
	return key, n
}
