package courses

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/profile"
)

// The hours ledger: one line per learner, module (or session) and school
// year, reviewed by inspectors. Every write that changes a line's state is
// guarded by the state and the number of events read, under the line's
// lock (see Service.lockLine).

// lineScope says which lines a reviewer may see and act on; the service
// decides it (see reviewScope), the store turns it into a query.
type lineScope struct {
	all       bool              // every territory (an admin)
	territory profile.Territory // otherwise the lines within it: each field set narrows it
	except    string            // leave out the lines of this learner (the reviewer)
}

func (sc lineScope) filter() bson.M {
	f := bson.M{}
	if !sc.all {
		f["territory.academie"] = sc.territory.Academie
		if sc.territory.Departement != "" {
			f["territory.departement"] = sc.territory.Departement
		}
		if sc.territory.Circonscription != "" {
			f["territory.circonscription"] = sc.territory.Circonscription
		}
		if sc.territory.UAI != "" {
			f["territory.uai"] = sc.territory.UAI
		}
	}
	f["learnerId"] = bson.M{"$ne": sc.except}
	return f
}

// insertLine stores a new ledger line with its line-page marker (the
// service then places it, Service.placeLine); a line with its id already
// there is reported as a duplicate by database.IsDuplicate.
func (s *Store) insertLine(ctx context.Context, l *Line, now time.Time) error {
	return s.insertMarked(ctx, l, now)
}

// ImportLine stores a ledger line as given, in whatever state it is in:
// lines carried over from an earlier release or another platform, and
// tests that start from a line the crediting task or an older version
// wrote. A line with its id already there is a duplicate
// (database.IsDuplicate). The service's own writes go through insertLine.
// The line is placed in the inspectors' lists like a credited one.
func (s *Store) ImportLine(ctx context.Context, l *Line) error {
	if err := s.insertMarked(ctx, l, time.Now().UTC()); err != nil {
		return database.Wrap(err, "courses: import ledger line "+l.ID)
	}
	return s.PlaceLine(ctx, l.ID)
}

// line returns the ledger line id.
func (s *Store) line(ctx context.Context, id string) (*Line, error) {
	var l Line
	if err := s.ledger.FindOne(ctx, bson.M{"_id": id}).Decode(&l); err != nil {
		return nil, database.Wrap(err, "courses: ledger line")
	}
	return &l, nil
}

// linesIn reads the lines of sc among ids.
func (s *Store) linesIn(ctx context.Context, sc lineScope, ids []string) ([]Line, error) {
	f := sc.filter()
	f["_id"] = bson.M{"$in": ids}
	return database.FindAll[Line](ctx, "courses: ledger", s.ledger, f)
}

// countLinesOf counts the lines among ids whose learner is learnerID.
func (s *Store) countLinesOf(ctx context.Context, ids []string, learnerID string) (int64, error) {
	n, err := s.ledger.CountDocuments(ctx, bson.M{"_id": bson.M{"$in": ids}, "learnerId": learnerID})
	if err != nil {
		return 0, database.Wrap(err, "courses: ledger")
	}
	return n, nil
}

// reviewLine appends ev to line l, sets its state to ev's and asks for its
// attestation and its copy into the hours pages, if l is still in the state and at the number of events
// read; it reports whether it was.
func (s *Store) reviewLine(ctx context.Context, l *Line, ev Event, now time.Time) (bool, error) {
	update := bson.M{"$set": bson.M{"state": ev.State, "pendingAt": now}, "$push": bson.M{"events": ev},
		"$addToSet": bson.M{"pending": bson.M{"$each": bson.A{markerAttestation, markerLinePage}}}}
	res, err := s.ledger.UpdateOne(ctx, bson.M{"_id": l.ID, "state": l.State, "events": bson.M{"$size": len(l.Events)}}, update)
	if err != nil {
		return false, database.Wrap(err, "courses: review")
	}
	return res.MatchedCount > 0, nil
}

// exportableLines lists by id the lines of sc in one of states, of a
// school year (all years when empty).
func (s *Store) exportableLines(ctx context.Context, sc lineScope, schoolYear string, states []string) ([]Line, error) {
	f := sc.filter()
	if schoolYear != "" {
		f["schoolYear"] = schoolYear
	}
	f["state"] = bson.M{"$in": states}
	return database.FindAll[Line](ctx, "courses: export", s.ledger, f, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// markExported sets the lines among ids still validated to exported, with
// the event ev and the line-page marker (their copy into the hours pages
// follows), in one update.
func (s *Store) markExported(ctx context.Context, ids []string, ev Event, now time.Time) error {
	if _, err := s.ledger.UpdateMany(ctx, bson.M{"_id": bson.M{"$in": ids}, "state": StateValidated},
		bson.M{"$set": bson.M{"state": StateExported, "pendingAt": now}, "$push": bson.M{"events": ev},
			"$addToSet": bson.M{"pending": markerLinePage}}); err != nil {
		return database.Wrap(err, "courses: export")
	}
	return nil
}

// linesOfLearner returns a person's ledger lines (at most 1000), in no set order.
func (s *Store) linesOfLearner(ctx context.Context, learnerID string) ([]Line, error) {
	return database.FindAll[Line](ctx, "courses: hours", s.ledger, bson.M{"learnerId": learnerID}, options.Find().SetLimit(1000))
}

// linesOfYear returns a person's ledger lines of one school year.
func (s *Store) linesOfYear(ctx context.Context, learnerID, schoolYear string) ([]Line, error) {
	return database.FindAll[Line](ctx, "courses: allocation", s.ledger,
		bson.M{"learnerId": learnerID, "schoolYear": schoolYear})
}

// attestationDone clears line id's attestation marker if the line still
// has revision events; it reports whether it had.
func (s *Store) attestationDone(ctx context.Context, id string, revision int) (bool, error) {
	res, err := s.ledger.UpdateOne(ctx, bson.M{"_id": id, "events": bson.M{"$size": revision}},
		bson.M{"$pull": bson.M{"pending": markerAttestation}})
	if err != nil {
		return false, database.Wrap(err, "courses: attestation done")
	}
	return res.MatchedCount == 1, nil
}
