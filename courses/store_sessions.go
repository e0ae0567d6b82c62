package courses

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Training sessions: a trainer's cohort and its half-days. A session is
// written whole under its lock (see Service.updateSession), guarded by its
// sequence number.

// insertSession stores a new session.
func (s *Store) insertSession(ctx context.Context, ss *Session) error {
	if _, err := s.sessions.InsertOne(ctx, ss); err != nil {
		return database.Wrap(err, "courses: create session")
	}
	return nil
}

// session returns session id.
func (s *Store) session(ctx context.Context, id string) (*Session, error) {
	var ss Session
	if err := s.sessions.FindOne(ctx, bson.M{"_id": id}).Decode(&ss); err != nil {
		return nil, database.Wrap(err, "courses: session")
	}
	return &ss, nil
}

// sessionsOf lists the sessions a trainer leads, newest first, at most 200.
func (s *Store) sessionsOf(ctx context.Context, trainerID string) ([]Session, error) {
	return database.FindAll[Session](ctx, "courses: sessions", s.sessions, bson.M{"trainerId": trainerID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(200))
}

// saveSession writes the participants of ss (and, once closed, its closure
// and pending marker) if nobody wrote it since it was read (ss.Seq); it
// reports whether it did.
func (s *Store) saveSession(ctx context.Context, ss *Session) (bool, error) {
	set := bson.M{"participants": ss.Participants, "seq": ss.Seq + 1}
	if ss.Closed() {
		set["closedAt"], set["pending"], set["pendingAt"] = ss.ClosedAt, ss.Pending, ss.PendingAt
	}
	res, err := s.sessions.UpdateOne(ctx, bson.M{"_id": ss.ID, "seq": ss.Seq}, bson.M{"$set": set})
	if err != nil {
		return false, database.Wrap(err, "courses: session")
	}
	return res.MatchedCount > 0, nil
}

// sessionCredited clears the credit marker of session id.
func (s *Store) sessionCredited(ctx context.Context, id string) error {
	return clearMarker(ctx, s.sessions, id, markerCreditSession)
}

// leaveSessions takes a person out of the cohorts where nothing was
// recorded for them.
func (s *Store) leaveSessions(ctx context.Context, userID string) error {
	if _, err := s.sessions.UpdateMany(ctx, bson.M{"participants.userId": userID},
		bson.M{"$pull": bson.M{"participants": bson.M{"userId": userID, "attended": bson.M{"$size": 0}}}}); err != nil {
		return database.Wrap(err, "courses: sessions")
	}
	return nil
}
