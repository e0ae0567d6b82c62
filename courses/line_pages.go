package courses

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
)

// TypeLinePage places a ledger line in the inspectors' lists and copies
// its current state into their pages (Store.PlaceLine) when the copy that
// follows the line's creation or a change of its state did not happen: a
// crash between the two, or a failed copy. Its marker, markerLinePage, is
// written by the insert or the update that changes the line.
const TypeLinePage = "courses:line-page"

type linePagePayload struct {
	Line string `json:"l"`
}

// NewLinePageTask returns the task that copies a ledger line into its pages.
func NewLinePageTask(lineID string) (*asynq.Task, error) {
	p, err := json.Marshal(linePagePayload{Line: lineID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeLinePage, p), nil
}

// HandleLinePage places the line and copies it into its pages, then clears
// its line-page marker (idempotent).
func (s *Service) HandleLinePage(ctx context.Context, t *asynq.Task) error {
	var p linePagePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.Line == "" {
		return fmt.Errorf("courses: line page payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return s.store.PlaceLine(ctx, p.Line)
}

// placeLine follows the insert of a line: it places the line in its
// scopes' lists and copies it. The line is stored, so a failure fails
// nothing: the task of its marker is enqueued.
func (s *Service) placeLine(ctx context.Context, id string) {
	err := s.store.PlaceLine(ctx, id)
	for try := 1; try < 3 && errors.Is(err, errkind.ErrConflict); try++ {
		err = s.store.PlaceLine(ctx, id) // a burst of writers held a head's lock past its wait
	}
	s.afterCopy(ctx, []string{id}, err)
}

// copyLines follows a change of lines' state, under their locks: it
// copies them into their pages at once; on failure, each one's task.
func (s *Service) copyLines(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	s.afterCopy(ctx, ids, s.store.recopyLines(ctx, ids))
}

func (s *Service) afterCopy(ctx context.Context, ids []string, err error) {
	if err == nil {
		return
	}
	s.logger.Warn("copy of ledger lines to the hours pages failed; their tasks will retry", "lines", len(ids), "err", err)
	for _, id := range ids {
		s.outbox.After(ctx, LedgerCollection, id, markerLinePage)
	}
}

// parseCursor reads the list's cursor: the seq of the last line read
// ("" is the start).
func parseCursor(after string) (int, error) {
	if after == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(after)
	if err != nil || n < 0 {
		return 0, errkind.Invalid("after", "bad_cursor")
	}
	return n, nil
}
