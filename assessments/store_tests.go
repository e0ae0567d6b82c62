package assessments

import (
	"context"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Writes on tests: those running live in the tests collection, finished
// ones move to the results collection once archived; a person's queries
// read both.

// insertTest stores a test that starts.
func (s *Store) insertTest(ctx context.Context, t *Test) error {
	if _, err := s.tests.InsertOne(ctx, t); err != nil {
		return wrap(err, "start test")
	}
	return s.setHead(ctx, t)
}

// recordAnswer appends rec to the running test t in one guarded update:
// it matches only if t still has t.Answered answers and serves
// challengeID. t carries what follows the answer (the next question, or
// the finished state, result and pending marker). A rec without a
// challenge appends nothing (a certification ended early). It reports
// whether the guard matched.
func (s *Store) recordAnswer(ctx context.Context, t *Test, challengeID string, rec Recorded, now time.Time) (bool, error) {
	set := bson.M{"updatedAt": now}
	update := bson.M{"$set": set}
	if rec.ChallengeID != "" {
		update["$push"], update["$inc"] = bson.M{"answers": rec}, bson.M{"answered": 1}
	}
	if t.State == StateFinished {
		set["state"], set["finishedAt"], set["result"] = t.State, t.FinishedAt, t.Result
		set["pending"], set["pendingAt"] = t.Pending, t.PendingAt
		if t.EndReason != "" {
			set["endReason"] = t.EndReason
		}
		update["$unset"] = bson.M{"current": ""}
	} else {
		set["current"] = t.Current
	}
	res, err := s.tests.UpdateOne(ctx, bson.M{"_id": t.ID, "answered": t.Answered, "current.challengeId": challengeID}, update)
	if err != nil {
		return false, wrap(err, "record answer")
	}
	return res.MatchedCount > 0, nil
}

// insertCertification stores a certification test that starts: no head,
// certification/ keeps track of its tests.
func (s *Store) insertCertification(ctx context.Context, t *Test) error {
	if _, err := s.tests.InsertOne(ctx, t); err != nil {
		return wrap(err, "start certification")
	}
	return nil
}

// setDevice gives the running certification test id to another device.
func (s *Store) setDevice(ctx context.Context, id, device string) error {
	res, err := s.tests.UpdateOne(ctx, bson.M{"_id": id, "state": StateStarted, "scope.certification": true},
		bson.M{"$set": bson.M{"device": device}})
	if err != nil {
		return wrap(err, "authorize device")
	}
	if res.MatchedCount == 0 {
		return wrap(mongo.ErrNoDocuments, "running certification "+id)
	}
	return nil
}

// markFocusLost records that o's certification test id left the question
// challengeID, if it still serves it; it reports whether it did.
func (s *Store) markFocusLost(ctx context.Context, id string, o Owner, challengeID string) (bool, error) {
	filter := bson.M{"_id": id, "state": StateStarted, "userId": o.UserID, "device": o.Device,
		"current.challengeId": challengeID}
	res, err := s.tests.UpdateOne(ctx, filter, bson.M{"$set": bson.M{"focusLost": challengeID}, "$inc": bson.M{"focusLosses": 1}})
	if err != nil {
		return false, wrap(err, "focus lost")
	}
	return res.MatchedCount > 0, nil
}

// countFocusLoss adds one to the focus losses of o's running test id, in
// one update with no read; it reports whether such a test exists.
func (s *Store) countFocusLoss(ctx context.Context, id string, o Owner) (bool, error) {
	filter := bson.M{"_id": id, "state": StateStarted}
	if o.UserID != "" {
		filter["userId"] = o.UserID
	} else {
		filter["anonKey"] = o.AnonKey
	}
	res, err := s.tests.UpdateOne(ctx, filter, bson.M{"$inc": bson.M{"focusLosses": 1}})
	if err != nil {
		return false, wrap(err, "focus loss")
	}
	return res.MatchedCount > 0, nil
}

// claimAnonymous gives userID the tests of anonKey nobody has claimed, and
// returns how many changed.
func (s *Store) claimAnonymous(ctx context.Context, anonKey, userID string) (int64, error) {
	var claimed []Test
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		tests, err := database.FindAll[Test](ctx, "assessments: tests to claim", coll,
			bson.M{"anonKey": anonKey, "userId": bson.M{"$exists": false}},
			options.Find().SetProjection(bson.M{"scope": 1, "createdAt": 1}))
		if err != nil {
			return 0, err
		}
		claimed = append(claimed, tests...)
	}
	var n int64
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		res, err := coll.UpdateMany(ctx, bson.M{"anonKey": anonKey, "userId": bson.M{"$exists": false}},
			bson.M{"$set": bson.M{"userId": userID}, "$unset": bson.M{"anonKey": ""}})
		if err != nil {
			return n, wrap(err, "claim tests")
		}
		n += res.ModifiedCount
	}
	for i := range claimed { // the person's heads now count them
		claimed[i].UserID = userID
		if err := s.setHead(ctx, &claimed[i]); err != nil {
			return n, err
		}
	}
	return n, s.deleteHeadsOf(ctx, ownerKey("", anonKey))
}

// testsOf returns every test of a person, running or archived, with its answers.
func (s *Store) testsOf(ctx context.Context, userID string) ([]Test, error) {
	var out []Test
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		cur, err := coll.Find(ctx, bson.M{"userId": userID})
		if err != nil {
			return nil, wrap(err, "export tests")
		}
		var page []Test
		if err := cur.All(ctx, &page); err != nil {
			return nil, wrap(err, "export tests")
		}
		out = append(out, page...)
	}
	return out, nil
}

// deleteTestsOf deletes every test of a person.
func (s *Store) deleteTestsOf(ctx context.Context, userID string) error {
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		if _, err := coll.DeleteMany(ctx, bson.M{"userId": userID}); err != nil {
			return wrap(err, "delete tests")
		}
	}
	return s.deleteHeadsOf(ctx, ownerKey(userID, ""))
}

// deleteAnonymousBefore deletes the anonymous tests created before t and
// returns how many it deleted.
func (s *Store) deleteAnonymousBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		res, err := coll.DeleteMany(ctx, bson.M{"userId": bson.M{"$exists": false}, "createdAt": bson.M{"$lt": t}})
		if err != nil {
			return n, wrap(err, "clean anonymous tests")
		}
		n += res.DeletedCount
	}
	return n, s.deleteAnonymousHeadsBefore(ctx, t)
}

// archive copies the answers of the finished test t that count as
// evidence to the responses collection (idempotent upserts keyed by test
// and rank), then moves t, without its pending marker, to the results
// collection: the copy first, then the removal from the hot collection. A
// crash between leaves the test in both; readers dedupe.
func (s *Store) archive(ctx context.Context, t *Test, ability func(challengeID string) (theta, se float64)) error {
	var models []mongo.WriteModel
	for i, r := range t.Answers {
		if r.Answer.Skipped || r.Late || r.Voided || r.FocusLost {
			continue // not evidence of the item's difficulty
		}
		doc := response{ID: t.ID + ":" + strconv.Itoa(i), TestID: t.ID, ChallengeID: r.ChallengeID, Correct: r.Correct, At: r.At,
			Pretest: r.Pretest}
		doc.Theta, doc.SE = ability(r.ChallengeID)
		models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.M{"_id": doc.ID}).
			SetUpdate(bson.M{"$setOnInsert": doc}).SetUpsert(true))
	}
	if len(models) > 0 {
		if _, err := s.responses.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return wrap(err, "copy responses")
		}
	}
	t.Pending, t.PendingAt = nil, time.Time{}
	if _, err := s.results.ReplaceOne(ctx, bson.M{"_id": t.ID}, t, options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, "archive test")
	}
	_, err := s.tests.DeleteOne(ctx, bson.M{"_id": t.ID, "state": StateFinished})
	return err
}

// eachResponse calls fn with every answer copied for calibration.
func (s *Store) eachResponse(ctx context.Context, fn func(response)) error {
	cur, err := s.responses.Find(ctx, bson.M{})
	if err != nil {
		return wrap(err, "read responses")
	}
	for cur.Next(ctx) {
		var r response
		if err := cur.Decode(&r); err != nil {
			return wrap(err, "read responses")
		}
		fn(r)
	}
	if err := cur.Err(); err != nil {
		return wrap(err, "read responses")
	}
	return nil
}

// saveParams stores a calibrated parameter version once. Two calibrations
// at once (the weekly task and the command) compute the same version from
// the same answers: the upsert that loses the race on FerretDB reports a
// duplicate, and the version is stored.
func (s *Store) saveParams(ctx context.Context, p *ItemParams) error {
	if _, err := s.params.UpdateOne(ctx, bson.M{"_id": p.Version}, bson.M{"$setOnInsert": p}, upsert()); err != nil && !database.IsDuplicate(err) {
		return wrap(err, "store parameters")
	}
	return nil
}
