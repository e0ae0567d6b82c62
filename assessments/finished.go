package assessments

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// EachFinished calls fn with every finished test of a signed-in person
// that ended in [from, to) (positioning only), archived or not yet archived (a test the worker
// counted but did not move yet), each once, in no set order. The answers
// are left out. It reads the results collection whole (a scan on
// FerretDB): it serves operator commands such as `ardoise aggregates
// rebuild`, never a request.
func (s *Service) EachFinished(ctx context.Context, from, to time.Time, fn func(*Test) error) error {
	return s.store.eachFinished(ctx, from, to, fn)
}

func (s *Store) eachFinished(ctx context.Context, from, to time.Time, fn func(*Test) error) error {
	seen := map[string]bool{}
	filter := bson.M{"state": StateFinished, "userId": bson.M{"$exists": true}, "scope.certification": bson.M{"$exists": false}}
	opts := options.Find().SetProjection(bson.M{"answers": 0, "seen": 0, "pretests": 0})
	// Results first: a test being archived is in both for a moment.
	for _, coll := range []*mongo.Collection{s.results, s.tests} {
		err := database.Each(ctx, "assessments: walk finished tests", coll, filter, func(t *Test) error {
			if seen[t.ID] || t.UserID == "" || t.FinishedAt.Before(from) || !t.FinishedAt.Before(to) {
				return nil
			}
			seen[t.ID] = true
			return fn(t)
		}, opts)
		if err != nil {
			return err
		}
	}
	return nil
}

// ImportFinished stores a finished test as archived, as given: results
// carried over from an earlier release or another platform, and tests
// that start from stored results without answering every question.
func (s *Store) ImportFinished(ctx context.Context, t *Test) error {
	if _, err := s.results.ReplaceOne(ctx, bson.M{"_id": t.ID}, t, options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, "import finished test")
	}
	return nil
}
