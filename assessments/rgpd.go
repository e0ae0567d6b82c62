package assessments

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ExportFor returns every test of a person, with its answers, for the RGPD export.
func (s *Service) ExportFor(ctx context.Context, userID string) ([]Test, error) {
	var out []Test
	for _, coll := range []*mongo.Collection{s.store.tests, s.store.results} {
		cur, err := coll.Find(ctx, bson.M{"userId": userID})
		if err != nil {
			return nil, wrap(err, "export tests")
		}
		var page []Test
		if err := cur.All(ctx, &page); err != nil {
			return nil, wrap(err, "export tests")
		}
		out = append(out, page...)
	}
	return out, nil
}

// DeleteFor deletes a person's tests when their account is erased: a
// positioning result is theirs alone. The copies in the responses
// collection that calibration reads carry no person, only a test id.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	for _, coll := range []*mongo.Collection{s.store.tests, s.store.results} {
		if _, err := coll.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
			return wrap(err, "delete tests")
		}
	}
	return nil
}
