package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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
	var models []mongo.WriteModel
	for i, r := range t.Answers {
		if r.Answer.Skipped || r.Late {
			continue // not evidence of the item's difficulty
		}
		doc := response{ID: t.ID + ":" + strconv.Itoa(i), TestID: t.ID, ChallengeID: r.ChallengeID, Correct: r.Correct, At: r.At}
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": doc.ID}).
			SetUpdate(bson.M{"$setOnInsert": doc}).SetUpsert(true))
	}
	if len(models) > 0 {
		if _, err := s.store.responses.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return wrap(err, "copy responses")
		}
	}
	// Archive: the copy first (idempotent), then the removal from the hot
	// collection. A crash between leaves the test in both; readers dedupe.
	t.Pending, t.PendingAt = nil, time.Time{}
	if _, err := s.store.results.ReplaceOne(ctx, bson.M{"_id": t.ID}, t, options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, "archive test")
	}
	_, err = s.store.tests.DeleteOne(ctx, bson.M{"_id": t.ID, "state": StateFinished})
	return err
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
	var n int64
	for _, coll := range []*mongo.Collection{s.store.tests, s.store.results} {
		res, err := coll.DeleteMany(ctx, bson.M{"userId": bson.M{"$exists": false},
			"createdAt": bson.M{"$lt": s.now().Add(-AnonymousTTL)}})
		if err != nil {
			return n, wrap(err, "clean anonymous tests")
		}
		n += res.DeletedCount
	}
	return n, nil
}
