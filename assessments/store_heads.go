package assessments

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// HeadsCollection holds, per owner and scope, the newest test: starting a
// test reads it by _id instead of finding the owner's newest test among
// all (FerretDB over SQLite pushes down no filter but _id, so that was a
// read of every test). docs/assessments.md, "The newest test".
const HeadsCollection = "assessment_heads"

// headsBuilt is the _id of the document that says every stored test is
// counted in the heads (its owner key would need a "|").
const headsBuilt = "~built"

// testHead is an owner's newest test in a scope.
type testHead struct {
	ID        string    `bson:"_id"`   // headID(owner, scope)
	Owner     string    `bson:"owner"` // ownerKey: what erasure deletes by
	Anonymous bool      `bson:"anonymous,omitempty"`
	TestID    string    `bson:"testId"`
	CreatedAt time.Time `bson:"createdAt"` // the test's
}

// ownerKey names an owner in a head: "u:<userId>" or "a:<anonKey>".
func ownerKey(userID, anonKey string) string {
	if userID != "" {
		return "u:" + userID
	}
	return "a:" + anonKey
}

// headID names an owner's head in a scope; a campaign's tests have their
// own ("|c:<campaign>"), and a scope's competences are the campaign's.
func headID(owner string, scope Scope) string {
	id := owner + "|" + scope.Framework + "|" + scope.Competence
	if scope.Campaign != "" {
		id += "|c:" + scope.Campaign
	}
	return id
}

// setHead makes t its owner's newest test in its scope unless a newer one
// is there. It reads and writes the head by _id alone (FerretDB over SQLite
// pushes nothing else down, so a conditional filter would read every
// head), under the head's lock, so an older test never replaces a newer.
func (s *Store) setHead(ctx context.Context, t *Test) error {
	owner := ownerKey(t.UserID, t.AnonKey)
	h := testHead{ID: headID(owner, t.Scope), Owner: owner, Anonymous: t.UserID == "", TestID: t.ID, CreatedAt: t.CreatedAt}
	if s.locks != nil {
		release, err := s.locks.Lock(ctx, HeadsCollection+":"+h.ID, 5*time.Second)
		if err != nil {
			return err
		}
		defer release()
	}
	cur, err := database.FindByID[testHead](ctx, "assessments: test head", s.heads, h.ID)
	if err != nil {
		return err
	}
	if cur != nil && cur.CreatedAt.After(t.CreatedAt) {
		return nil
	}
	if _, err := s.heads.ReplaceOne(ctx, bson.M{"_id": h.ID}, h, options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, "test head")
	}
	return nil
}

// latestByHead returns the newest test of an owner in a scope, from its
// head: one or two reads by _id. A head whose test was deleted is none.
func (s *Store) latestByHead(ctx context.Context, o Owner, scope Scope) (*Test, error) {
	h, err := database.FindByID[testHead](ctx, "assessments: test head", s.heads, headID(ownerKey(o.UserID, o.AnonKey), scope))
	if h == nil || err != nil {
		return nil, err
	}
	t, err := s.test(ctx, h.TestID)
	if errkind.IsNotFound(err) {
		return nil, nil
	}
	return t, err
}

// deleteHeadsOf deletes the heads of an owner (their erasure).
func (s *Store) deleteHeadsOf(ctx context.Context, owner string) error {
	if _, err := s.heads.DeleteMany(ctx, bson.M{"owner": owner}); err != nil {
		return wrap(err, "delete test heads")
	}
	return nil
}

// deleteAnonymousHeadsBefore deletes the heads of anonymous tests created
// before t (the tests themselves are deleted by deleteAnonymousBefore).
func (s *Store) deleteAnonymousHeadsBefore(ctx context.Context, t time.Time) error {
	if _, err := s.heads.DeleteMany(ctx, bson.M{"anonymous": true, "createdAt": bson.M{"$lt": t}}); err != nil {
		return wrap(err, "clean anonymous test heads")
	}
	return nil
}

// BuildHeads counts every stored test in the heads, once: a later start
// finds headsBuilt and does nothing. It reads every test (the slow path,
// once) and is idempotent.
func (s *Store) BuildHeads(ctx context.Context) (int, error) {
	if err := s.heads.FindOne(ctx, bson.M{"_id": headsBuilt}).Err(); err == nil {
		return 0, nil
	} else if !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, wrap(err, "test heads built")
	}
	n := 0
	for _, coll := range []*mongo.Collection{s.tests, s.results} {
		tests, err := database.FindAll[Test](ctx, "assessments: tests to count", coll, bson.M{},
			options.Find().SetProjection(bson.M{"userId": 1, "anonKey": 1, "scope": 1, "createdAt": 1}))
		if err != nil {
			return n, err
		}
		for i := range tests {
			if err := s.setHead(ctx, &tests[i]); err != nil {
				return n, err
			}
			n++
		}
	}
	if _, err := s.heads.InsertOne(ctx, bson.M{"_id": headsBuilt}); err != nil && !database.IsDuplicate(err) {
		return n, wrap(err, "test heads built")
	}
	return n, nil
}
