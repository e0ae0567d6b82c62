package certification

import (
	"context"
	"errors"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// ResultsCollection holds, per account (_id), its published certification
// results: the candidate's list is one read by _id.
const ResultsCollection = "certification_results"

// Result is one published certification of a candidate.
type Result struct {
	TestID    string      `bson:"testId" json:"id"`
	SessionID string      `bson:"sessionId" json:"session"`
	Date      string      `bson:"date" json:"date"` // the session's, YYYY-MM-DD
	Score     int         `bson:"score" json:"score"`
	Levels    []LevelLine `bson:"levels" json:"levels"`
	// Code is the certificate's verification code, as displayed (C-XXXXXXXX).
	Code          string `bson:"code" json:"certificateCode"`
	CertificateID string `bson:"certificateId" json:"certificateId"`
	// Revoked says the jury revoked the certificate.
	Revoked bool `bson:"revoked,omitempty" json:"revoked"`
	// Scopes are the keys of the scope lists the certificate was written
	// to (the teacher's territory at issuing), for marking a revocation.
	Scopes []string `bson:"scopes,omitempty" json:"-"`
}

type resultsDoc struct {
	UserID  string   `bson:"_id"`
	Results []Result `bson:"results"`
}

func (s *Store) results() *mongo.Collection {
	return s.sessions.Database().Collection(ResultsCollection)
}

// addResult records a published result in an account's list, replacing
// the one of the same test: issuing again changes nothing.
func (s *Store) addResult(ctx context.Context, userID string, r Result) error {
	return s.changeResults(ctx, userID, func(list []Result) []Result {
		list = slices.DeleteFunc(list, func(x Result) bool { return x.TestID == r.TestID })
		list = append(list, r)
		slices.SortStableFunc(list, func(a, b Result) int { return strings.Compare(b.Date, a.Date) })
		return list
	})
}

// markRevoked records, in an account's list and in the scope lists the
// result was written to, that a result's certificate was revoked.
func (s *Store) markRevoked(ctx context.Context, userID, testID string) error {
	var scopes []string
	if err := s.changeResults(ctx, userID, func(list []Result) []Result {
		for i := range list {
			if list[i].TestID == testID {
				list[i].Revoked, scopes = true, list[i].Scopes
			}
		}
		return list
	}); err != nil {
		return err
	}
	return s.markScopeRevoked(ctx, scopes, testID)
}

// changeResults rewrites an account's list as change returns it, under
// the account's lock (FerretDB runs an update as a read and an overwrite).
func (s *Store) changeResults(ctx context.Context, userID string, change func([]Result) []Result) error {
	release, err := s.locks.Lock(ctx, "certification-results:"+userID, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	list, err := s.resultsOf(ctx, userID)
	if err != nil {
		return err
	}
	if _, err := s.results().ReplaceOne(ctx, bson.M{"_id": userID}, resultsDoc{UserID: userID, Results: change(list)},
		options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, "results")
	}
	return nil
}

// resultsOf reads an account's published results, newest first.
func (s *Store) resultsOf(ctx context.Context, userID string) ([]Result, error) {
	var d resultsDoc
	err := s.results().FindOne(ctx, bson.M{"_id": userID}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return []Result{}, nil
	}
	if err != nil {
		return nil, database.Wrap(err, "certification: results")
	}
	if d.Results == nil {
		d.Results = []Result{}
	}
	return d.Results, nil
}

// Results returns the signed-in account's published certification
// results, newest first: one read by _id.
func (s *Service) Results(ctx context.Context, u *profile.User) ([]Result, error) {
	if u == nil {
		return nil, errkind.ErrUnauthenticated
	}
	return s.store.resultsOf(ctx, u.ID)
}
