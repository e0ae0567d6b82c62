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
	return database.Each(ctx, "courses: ledger of a year", s.ledger, bson.M{"schoolYear": schoolYear}, fn)
}
