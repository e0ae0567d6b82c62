package certification

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/profile"
)

// ScopeResultsCollection holds, per scope key (_id: académie,
// académie/département or académie/département/circonscription), the
// certificates issued to teachers of that territory: an inspector's list
// is one read by _id.
const ScopeResultsCollection = "certification_scope_results"

// ScopeSessionsCollection holds, per scope key, the published sessions of
// the centres of that territory.
const ScopeSessionsCollection = "certification_scope_sessions"

// ScopeResult is one issued certificate as an inspector sees it.
type ScopeResult struct {
	TestID    string      `bson:"testId" json:"id"`
	UserID    string      `bson:"userId" json:"user"`
	Name      string      `bson:"name" json:"name"` // as on the candidate list
	Date      string      `bson:"date" json:"date"` // the session's, YYYY-MM-DD
	Score     int         `bson:"score" json:"score"`
	Levels    []LevelLine `bson:"levels" json:"levels"`
	Code      string      `bson:"code" json:"certificateCode"`
	SessionID string      `bson:"sessionId" json:"session"`
	Centre    string      `bson:"centre" json:"centre"`
	// Revoked says the jury revoked the certificate.
	Revoked bool `bson:"revoked,omitempty" json:"revoked"`
}

// ScopeSession is one published session as an inspector sees it.
type ScopeSession struct {
	SessionID  string `bson:"sessionId" json:"id"`
	Number     int    `bson:"number" json:"number"`
	Date       string `bson:"date" json:"date"`
	Centre     string `bson:"centre" json:"centre"`
	Status     string `bson:"status" json:"status"`
	Candidates int    `bson:"candidates" json:"candidates"`
}

// scopeDoc is one scope's list (_id: the scope key).
type scopeDoc[T any] struct {
	Key  string `bson:"_id"`
	Rows []T    `bson:"rows"`
}

// ScopeKeys returns the keys of the scopes that cover a territory, widest
// first: académie, académie/département, académie/département/
// circonscription (each part query-escaped, so a "/" in a name cannot
// make two territories share a key). None without an académie.
func ScopeKeys(t profile.Territory) []string {
	var out, parts []string
	for _, v := range []string{t.Academie, t.Departement, t.Circonscription} {
		if v == "" {
			break
		}
		parts = append(parts, url.QueryEscape(v))
		out = append(out, strings.Join(parts, "/"))
	}
	return out
}

// scopeKey is the key of an inspector's scope itself: its deepest level.
func scopeKey(t profile.Territory) string {
	keys := ScopeKeys(t)
	if len(keys) == 0 {
		return ""
	}
	return keys[len(keys)-1]
}

// addScopeResult records an issued certificate in the lists of every
// scope covering the teacher's territory, replacing the row of the same
// test: issuing again changes nothing.
func (s *Store) addScopeResult(ctx context.Context, t profile.Territory, r ScopeResult) error {
	return addScopeRow(ctx, s, ScopeResultsCollection, t, r, func(x ScopeResult) bool { return x.TestID == r.TestID },
		func(a, b ScopeResult) int { return strings.Compare(b.Date, a.Date) })
}

// addScopeSession records a published session in the lists of every
// scope covering its centre's territory, replacing the row of the same
// session.
func (s *Store) addScopeSession(ctx context.Context, t profile.Territory, row ScopeSession) error {
	return addScopeRow(ctx, s, ScopeSessionsCollection, t, row, func(x ScopeSession) bool { return x.SessionID == row.SessionID },
		func(a, b ScopeSession) int { return strings.Compare(b.Date, a.Date) })
}

// markScopeRevoked marks a test's row revoked in the given scopes' lists.
func (s *Store) markScopeRevoked(ctx context.Context, keys []string, testID string) error {
	for _, key := range keys {
		if err := changeScopeList(ctx, s, ScopeResultsCollection, key, func(rows []ScopeResult) []ScopeResult {
			for i := range rows {
				if rows[i].TestID == testID {
					rows[i].Revoked = true
				}
			}
			return rows
		}); err != nil {
			return err
		}
	}
	return nil
}

// addScopeRow puts row in coll's list of every scope covering t, in place
// of the rows same matches, in the order cmp sets.
func addScopeRow[T any](ctx context.Context, s *Store, coll string, t profile.Territory, row T, same func(T) bool, cmp func(a, b T) int) error {
	for _, key := range ScopeKeys(t) {
		if err := changeScopeList(ctx, s, coll, key, func(rows []T) []T {
			rows = append(slices.DeleteFunc(rows, same), row)
			slices.SortStableFunc(rows, cmp)
			return rows
		}); err != nil {
			return err
		}
	}
	return nil
}

// changeScopeList rewrites one scope's list as change returns it, under
// the list's lock (FerretDB runs an update as a read and an overwrite).
func changeScopeList[T any](ctx context.Context, s *Store, coll, key string, change func([]T) []T) error {
	release, err := s.locks.Lock(ctx, coll+":"+key, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	d, err := readScopeDoc[T](ctx, s, coll, key)
	if err != nil {
		return err
	}
	d.Rows = change(d.Rows)
	if _, err := s.sessions.Database().Collection(coll).ReplaceOne(ctx, bson.M{"_id": key}, d, options.Replace().SetUpsert(true)); err != nil {
		return wrap(err, coll)
	}
	return nil
}

// readScopeDoc reads one scope's list by _id (empty when there is none).
func readScopeDoc[T any](ctx context.Context, s *Store, coll, key string) (*scopeDoc[T], error) {
	d := &scopeDoc[T]{Key: key}
	err := s.sessions.Database().Collection(coll).FindOne(ctx, bson.M{"_id": key}).Decode(d)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, wrap(err, coll)
	}
	if d.Rows == nil {
		d.Rows = []T{}
	}
	return d, nil
}

// scopeView reads a scope's results and sessions: two reads by _id.
func (s *Store) scopeView(ctx context.Context, key string) ([]ScopeResult, []ScopeSession, error) {
	r, err := readScopeDoc[ScopeResult](ctx, s, ScopeResultsCollection, key)
	if err != nil {
		return nil, nil, err
	}
	x, err := readScopeDoc[ScopeSession](ctx, s, ScopeSessionsCollection, key)
	if err != nil {
		return nil, nil, err
	}
	return r.Rows, x.Rows, nil
}
