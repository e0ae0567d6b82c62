package certification

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// centresByID reads the centres of a desk in one command.
func (s *Store) centresByID(ctx context.Context, ids []string) ([]Centre, error) {
	return findByID[Centre](ctx, s.centres, ids, "desk centres")
}

// sessionsByID reads the sessions of a desk in one command.
func (s *Store) sessionsByID(ctx context.Context, ids []string) ([]Session, error) {
	return findByID[Session](ctx, s.sessions, ids, "desk sessions")
}

// findByID reads the documents of coll with these ids (never nil).
func findByID[T any](ctx context.Context, coll *mongo.Collection, ids []string, what string) ([]T, error) {
	out := []T{}
	if len(ids) == 0 {
		return out, nil
	}
	cur, err := coll.Find(ctx, bson.M{"_id": bson.M{"$in": ids}})
	if err != nil {
		return nil, wrap(err, what)
	}
	if err := cur.All(ctx, &out); err != nil {
		return nil, wrap(err, what)
	}
	return out, nil
}

// addToDesks adds a centre or a session to the desk of each account.
func (s *Store) addToDesks(ctx context.Context, userIDs []string, field, id string) error {
	for _, u := range userIDs {
		if err := s.addToDesk(ctx, u, field, id); err != nil {
			return err
		}
	}
	return nil
}
