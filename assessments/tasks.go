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

// NewCopyResponsesTask returns the task that archives a finished test.
func NewCopyResponsesTask(testID string) (*asynq.Task, error) {
	p, err := json.Marshal(testPayload{TestID: testID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeCopyResponses, p), nil
}

// Markers are the assessments' pending work, registered with the outbox:
// a finished test waits for its answers to be archived.
var Markers = []queue.Marker{
	{Collection: TestsCollection, Name: markerResponses, Priority: queue.Low,
		Task: func(id, _ string) (*asynq.Task, error) { return NewCopyResponsesTask(id) }},
}

func (s *Service) enqueueResponses(ctx context.Context, testID string) {
	s.outbox.After(ctx, TestsCollection, testID, markerResponses)
}

// response is one answer as calibration reads it.
type response struct {
	ID          string    `bson:"_id"`
	TestID      string    `bson:"testId"`
	ChallengeID string    `bson:"challengeId"`
	Correct     bool      `bson:"correct"`
	At          time.Time `bson:"at"`
	// Pretest marks the answer to an unscored pretest challenge.
	Pretest bool `bson:"pretest,omitempty"`
	// Theta and SE are the test's measure of the challenge's competence,
	// from its scored answers: the anchor of a pretest calibration and of
	// every item's fit statistics (0, 0 in responses from before them).
	Theta float64 `bson:"theta,omitempty"`
	SE    float64 `bson:"se,omitempty"`
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
	bank, err := s.bank(ctx, t.ContentVersion)
	if err != nil {
		return err
	}
	hooks := s.finishHooks
	if t.Scope.Certification {
		hooks = s.certificationHooks
	}
	for _, h := range hooks {
		// Before archiving: a hook that fails leaves the marker, and the
		// task runs again (every hook counts a test once however often it
		// runs).
		if err := h(ctx, t); err != nil {
			return err
		}
	}
	return s.store.archive(ctx, t, abilityOf(bank, t))
}

// FinishHook is work that follows a finished test, such as counting it in
// a campaign's or a territory's aggregates. It runs in the worker, at
// least once per finished test, before the test is archived: it must be
// idempotent.
type FinishHook func(ctx context.Context, t *Test) error

// OnFinish registers h to run after every finished positioning test.
// Register hooks at start-up, before the worker runs.
func (s *Service) OnFinish(h FinishHook) { s.finishHooks = append(s.finishHooks, h) }

// OnCertificationFinish registers h to run after every finished
// certification test, as OnFinish does for positioning.
func (s *Service) OnCertificationFinish(h FinishHook) {
	s.certificationHooks = append(s.certificationHooks, h)
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

// abilityOf returns, for a challenge of finished test t, the test's
// measure of the challenge's competence (the global one when the result
// has no such competence).
func abilityOf(bank *Bank, t *Test) func(challengeID string) (theta, se float64) {
	return func(id string) (float64, float64) {
		if t.Result == nil {
			return 0, 0
		}
		if ch, ok := bank.Challenge(id); ok {
			for _, c := range t.Result.Competences {
				if c.ID == ch.Competence {
					return c.Theta, c.SE
				}
			}
		}
		return t.Result.Theta, t.Result.SE
	}
}
