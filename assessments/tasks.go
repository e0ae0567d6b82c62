package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/errkind"
	"ardoise/internal/queue"
)

// Task types.
const (
	// TypeCopyResponses archives a finished test: it copies its answers to
	// the responses collection that calibration reads, and moves the test to
	// the results collection, off the answer path.
	TypeCopyResponses = "assessments:copy-responses"
	// TypeCleanAnonymous deletes anonymous tests nobody claimed within AnonymousTTL.
	TypeCleanAnonymous = "assessments:clean-anonymous"
)

// AnonymousTTL is how long an unclaimed anonymous test is kept.
const AnonymousTTL = 30 * 24 * time.Hour

const markerResponses = "copy-responses"

type testPayload struct {
	TestID string `json:"t"`
}

// EnqueuePending enqueues the task of a pending marker of a test; the
// sweeper calls it for markers older than a minute.
func (s *Service) EnqueuePending(ctx context.Context, testID, marker string) error {
	if marker != markerResponses {
		return fmt.Errorf("assessments: unknown marker %q", marker)
	}
	p, _ := json.Marshal(testPayload{TestID: testID})
	return s.queue.Enqueue(ctx, asynq.NewTask(TypeCopyResponses, p), TypeCopyResponses+":"+testID, queue.Low)
}

func (s *Service) enqueueResponses(ctx context.Context, testID string) {
	if err := s.EnqueuePending(ctx, testID, markerResponses); err != nil {
		s.logger.Warn("enqueue responses copy; the sweeper will retry", "test", testID, "err", err)
	}
}

// response is one answer as calibration reads it.
type response struct {
	ID          string    `bson:"_id"`
	TestID      string    `bson:"testId"`
	ChallengeID string    `bson:"challengeId"`
	Correct     bool      `bson:"correct"`
	At          time.Time `bson:"at"`
}

// HandleCopyResponses copies the answers (idempotent upserts keyed by test
// and rank), then clears the marker.
func (s *Service) HandleCopyResponses(ctx context.Context, task *asynq.Task) error {
	var p testPayload
	if err := json.Unmarshal(task.Payload(), &p); err != nil {
		return fmt.Errorf("assessments: payload: %v: %w", err, asynq.SkipRetry)
	}
	t, err := s.store.running(ctx, p.TestID)
	if errkind.IsNotFound(err) {
		return nil // already archived
	}
	if err != nil {
		return err
	}
	if !slices.Contains(t.Pending, markerResponses) {
		return nil
	}
	return s.store.archive(ctx, t)
}

// HandleCleanAnonymous deletes anonymous tests older than AnonymousTTL.
func (s *Service) HandleCleanAnonymous(ctx context.Context, _ *asynq.Task) error {
	n, err := s.CleanAnonymous(ctx)
	if n > 0 {
		s.logger.Info("unclaimed anonymous tests deleted", "count", n)
	}
	return err
}

// CleanAnonymous deletes the anonymous tests nobody claimed in time.
func (s *Service) CleanAnonymous(ctx context.Context) (int64, error) {
	return s.store.deleteAnonymousBefore(ctx, s.now().Add(-AnonymousTTL))
}
