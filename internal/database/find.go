package database

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FindAll runs a find and decodes every document it returns (an empty
// slice, never nil, when none matches); errors are wrapped with op.
func FindAll[T any](ctx context.Context, op string, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, Wrap(err, op)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, Wrap(err, op)
	}
	return out, nil
}
