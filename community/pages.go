package community

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
)

// TypePage copies a post into its thread's page document (CopyPostToPage)
// when the copy that follows every write of the post did not happen: a
// crash between the two, or a failed copy. Its marker, markerPage, is
// written by the same update that changes the post.
const TypePage = "community:page"

const markerPage = "page"

type pagePayload struct {
	Post string `json:"p"`
}

// NewPageTask returns the task that copies a post into its page.
func NewPageTask(postID string) (*asynq.Task, error) {
	p, err := json.Marshal(pagePayload{Post: postID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypePage, p), nil
}

// HandlePage copies the post's current state into its page and clears its
// page marker (both in Store.CopyPostToPage, which is idempotent).
func (s *Service) HandlePage(ctx context.Context, t *asynq.Task) error {
	var pl pagePayload
	if err := json.Unmarshal(t.Payload(), &pl); err != nil {
		return fmt.Errorf("community: page payload: %v: %w", err, asynq.SkipRetry)
	}
	return s.store.CopyPostToPage(ctx, pl.Post)
}

// copyToPage follows every write of a post: it copies the post into its
// page at once. The write has happened, so a failed copy fails nothing:
// its task is enqueued, and the marker the write left brings the sweeper
// back to it if the queue loses the task.
func (s *Service) copyToPage(ctx context.Context, postID string) {
	err := s.store.CopyPostToPage(ctx, postID)
	for try := 1; try < 3 && errors.Is(err, errkind.ErrConflict); try++ {
		err = s.store.CopyPostToPage(ctx, postID) // a burst of writers held the page's lock past its wait
	}
	if err != nil {
		s.logger.Warn("copy of a post to its page failed; its task will retry", "post", postID, "err", err)
		s.outbox.After(ctx, PostsCollection, postID, markerPage)
	}
}
