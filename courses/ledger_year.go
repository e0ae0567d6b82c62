package courses

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
)

// EachLineOfYear calls fn with every ledger line of a school year, in no
// set order. It reads the ledger with one query that FerretDB cannot serve
// from an index (a scan of hours_ledger): it feeds the territory
// dashboards' daily snapshot, never a request.
func (s *Service) EachLineOfYear(ctx context.Context, schoolYear string, fn func(*Line) error) error {
	return s.store.eachLineOfYear(ctx, schoolYear, fn)
}

func (s *Store) eachLineOfYear(ctx context.Context, schoolYear string, fn func(*Line) error) error {
	cur, err := s.ledger.Find(ctx, bson.M{"schoolYear": schoolYear})
	if err != nil {
		return database.Wrap(err, "courses: ledger of a year")
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var l Line
		if err := cur.Decode(&l); err != nil {
			return database.Wrap(err, "courses: ledger of a year")
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return database.Wrap(err, "courses: ledger of a year")
	}
	return nil
}
