package courses

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Learning: a person's enrolments in modules, written whole and guarded
// by their sequence number (see saveProgress).

// insertEnrolment stores a new enrolment; one already there (same person
// and module) is reported as a duplicate by database.IsDuplicate.
func (s *Store) insertEnrolment(ctx context.Context, e *Enrolment) error {
	_, err := s.enrolments.InsertOne(ctx, e)
	return err
}

// enrolment returns enrolment id.
func (s *Store) enrolment(ctx context.Context, id string) (*Enrolment, error) {
	var e Enrolment
	if err := s.enrolments.FindOne(ctx, bson.M{"_id": id}).Decode(&e); err != nil {
		return nil, database.Wrap(err, "courses: enrolment")
	}
	return &e, nil
}

// saveProgress writes what a learning event changed, if nobody wrote the
// enrolment since it was read (seq); it reports whether it did.
func (s *Store) saveProgress(ctx context.Context, e *Enrolment) (bool, error) {
	set := bson.M{
		"version": e.Version, "title": e.Title, "pages": e.Pages, "quizzes": e.Quizzes, "activeSeconds": e.ActiveSeconds,
		"clock": e.Clock, "clockPage": e.ClockPage, "seq": e.Seq + 1,
	}
	if e.Completion != nil {
		set["completion"] = e.Completion
		set["pending"] = e.Pending
		set["pendingAt"] = e.PendingAt
	}
	if len(e.Moves) > 0 {
		set["moves"] = e.Moves
	}
	res, err := s.enrolments.UpdateOne(ctx, bson.M{"_id": e.ID, "seq": e.Seq}, bson.M{"$set": set})
	if err != nil {
		return false, database.Wrap(err, "courses: save progress")
	}
	if res.MatchedCount == 1 {
		e.Seq++
	}
	return res.MatchedCount == 1, nil
}

// EnrolmentsOf lists a person's enrolments, newest first.
func (s *Store) EnrolmentsOf(ctx context.Context, userID string) ([]Enrolment, error) {
	out, err := database.FindAll[Enrolment](ctx, "courses: enrolments", s.enrolments, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "enrolledAt", Value: -1}}).SetLimit(500))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// clearMarker removes a done marker from a document of c.
func clearMarker(ctx context.Context, c *mongo.Collection, id, marker string) error {
	if _, err := c.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$pull": bson.M{"pending": marker}}); err != nil {
		return fmt.Errorf("courses: clear %s of %s: %w", marker, id, err)
	}
	return nil
}

// enrolmentCredited clears the credit marker of enrolment id.
func (s *Store) enrolmentCredited(ctx context.Context, id string) error {
	return clearMarker(ctx, s.enrolments, id, markerCredit)
}

// deleteEnrolmentsOf deletes every enrolment of a person.
func (s *Store) deleteEnrolmentsOf(ctx context.Context, userID string) error {
	if _, err := s.enrolments.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
		return database.Wrap(err, "courses: delete enrolments")
	}
	return nil
}
