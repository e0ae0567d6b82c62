package community

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
)

// TypeNotePage copies a notification into its person's page document
// (Store.CopyNotes) when the copy that follows a change of the
// notification did not happen: a crash between the two, or a failed copy.
// Its marker, markerNotePage, is written by the same update that changes
// the notification. The first copy of a new notification needs no marker:
// the post's notify marker stays until every notification of the post is
// copied, and the notify task copies again when it runs again.
const TypeNotePage = "community:note-page"

const markerNotePage = "note-page"

type notePagePayload struct {
	Note string `json:"n"`
}

// NewNotePageTask returns the task that copies a notification into its page.
func NewNotePageTask(noteID string) (*asynq.Task, error) {
	p, err := json.Marshal(notePagePayload{Note: noteID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeNotePage, p), nil
}

// HandleNotePage copies the notification's current state into its page
// and clears its note-page marker (Store.CopyNotes, idempotent).
func (s *Service) HandleNotePage(ctx context.Context, t *asynq.Task) error {
	var pl notePagePayload
	if err := json.Unmarshal(t.Payload(), &pl); err != nil {
		return fmt.Errorf("community: note page payload: %v: %w", err, asynq.SkipRetry)
	}
	return s.store.CopyNotes(ctx, []string{pl.Note})
}

// copyNotes follows every change of notifications the list shows (read
// flags, a renamed author): it copies them into their pages at once. The
// change has happened, so a failed copy fails nothing: each one's task is
// enqueued, and the marker the change left brings the sweeper back to it
// if the queue loses the task.
func (s *Service) copyNotes(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	err := s.store.CopyNotes(ctx, ids)
	for try := 1; try < 3 && errors.Is(err, errkind.ErrConflict); try++ {
		err = s.store.CopyNotes(ctx, ids) // a burst of writers held a page's lock past its wait
	}
	if err != nil {
		s.logger.Warn("copy of notifications to their pages failed; their tasks will retry", "notes", len(ids), "err", err)
		for _, id := range ids {
			s.outbox.After(ctx, NotificationsCollection, id, markerNotePage)
		}
	}
}
