package assessments

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// latestReport is the _id of the latest items report: the admin page reads
// it by _id.
const latestReport = "latest"

// saveItemsReport replaces the latest items report.
// Two calibrations at once (the weekly task and the command) may both
// insert it: the upsert that loses that race on FerretDB reports a
// duplicate, and replacing the document the winner inserted is what it
// meant to do.
func (s *Store) saveItemsReport(ctx context.Context, r *ItemsReport) error {
	_, err := s.reports.ReplaceOne(ctx, bson.M{"_id": r.ID}, r, options.Replace().SetUpsert(true))
	if database.IsDuplicate(err) {
		_, err = s.reports.ReplaceOne(ctx, bson.M{"_id": r.ID}, r, options.Replace().SetUpsert(true))
	}
	if err != nil {
		return wrap(err, "save items report")
	}
	return nil
}

// itemsReport reads the latest items report.
func (s *Store) itemsReport(ctx context.Context) (*ItemsReport, error) {
	return database.FindByID[ItemsReport](ctx, "assessments: items report", s.reports, latestReport)
}
