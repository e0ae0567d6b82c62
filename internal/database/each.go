package database

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Each runs a find and calls fn with each document it returns, one at a
// time through the cursor (for reads too large to hold, such as a daily
// aggregation); it stops at fn's first error and returns it. Store errors
// are wrapped with op.
func Each[T any](ctx context.Context, op string, c *mongo.Collection, filter any, fn func(*T) error, opts ...options.Lister[options.FindOptions]) error {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return Wrap(err, op)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		doc := new(T)
		if err := cur.Decode(doc); err != nil {
			return Wrap(err, op)
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return Wrap(err, op)
	}
	return nil
}
