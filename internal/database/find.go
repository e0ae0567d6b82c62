package database

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
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

// FindByID decodes the document id of c; a missing one is nil, without an
// error (a page, a head or a claim not written yet). Errors are wrapped
// with op.
func FindByID[T any](ctx context.Context, op string, c *mongo.Collection, id string) (*T, error) {
	doc := new(T)
	err := c.FindOne(ctx, bson.M{"_id": id}).Decode(doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, Wrap(err, op)
	}
	return doc, nil
}
