package certification

import (
	"context"
	"errors"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Collections owned by this package. Every read of a request is by _id.
const (
	// CentresCollection holds the centres.
	CentresCollection = "certification_centres"
	// SessionsCollection holds the sessions, each with its candidates.
	SessionsCollection = "certification_sessions"
	// NumbersCollection maps a session number (_id, decimal) to its
	// session: inserting it is the claim that makes a number unique.
	NumbersCollection = "certification_numbers"
	// DesksCollection holds, per account (_id), the centres it is a
	// référent of and the sessions of those centres.
	DesksCollection = "certification_desks"
	// LogsCollection holds each session's log (_id the session's id).
	LogsCollection = "certification_logs"
)

// Indexes are this package's collections.
var Indexes = []database.Index{{Collection: CentresCollection}, {Collection: SessionsCollection},
	{Collection: NumbersCollection}, {Collection: DesksCollection}, {Collection: LogsCollection}, {Collection: ResultsCollection}}

// Store reads and writes centres and sessions.
type Store struct {
	centres, sessions, numbers, desks, logs *mongo.Collection
	locks                                   *claim.Claims
}

// NewStore returns a store on db; locks serialize the writers of one
// session (FerretDB runs a replace as a read and an overwrite).
func NewStore(db *database.DB, locks *claim.Claims) *Store {
	return &Store{centres: db.Collection(CentresCollection), sessions: db.Collection(SessionsCollection),
		numbers: db.Collection(NumbersCollection), desks: db.Collection(DesksCollection), logs: db.Collection(LogsCollection),
		locks: locks}
}

func wrap(err error, what string) error { return database.Wrap(err, "certification: "+what) }

// lockTTL bounds a session write.
const lockTTL = 10 * time.Second

// centre reads a centre by id.
func (s *Store) centre(ctx context.Context, id string) (*Centre, error) {
	var c Centre
	if err := s.centres.FindOne(ctx, bson.M{"_id": id}).Decode(&c); err != nil {
		return nil, wrap(err, "centre "+id)
	}
	return &c, nil
}

// insertCentre stores a new centre.
func (s *Store) insertCentre(ctx context.Context, c *Centre) error {
	if _, err := s.centres.InsertOne(ctx, c); err != nil {
		return wrap(err, "create centre")
	}
	return nil
}

// session reads a session by id.
func (s *Store) session(ctx context.Context, id string) (*Session, error) {
	var x Session
	if err := s.sessions.FindOne(ctx, bson.M{"_id": id}).Decode(&x); err != nil {
		return nil, wrap(err, "session "+id)
	}
	return &x, nil
}

type numberDoc struct {
	Number    string `bson:"_id"`
	SessionID string `bson:"sessionId"`
}

// claimNumber inserts a number's document: false when it is taken.
func (s *Store) claimNumber(ctx context.Context, number int, sessionID string) (bool, error) {
	_, err := s.numbers.InsertOne(ctx, numberDoc{Number: strconv.Itoa(number), SessionID: sessionID})
	if database.IsDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap(err, "claim session number")
	}
	return true, nil
}

// sessionByNumber reads the session of a number: two reads by _id.
func (s *Store) sessionByNumber(ctx context.Context, number int) (*Session, error) {
	var n numberDoc
	if err := s.numbers.FindOne(ctx, bson.M{"_id": strconv.Itoa(number)}).Decode(&n); err != nil {
		return nil, wrap(err, "session number "+strconv.Itoa(number))
	}
	return s.session(ctx, n.SessionID)
}

// insertSession stores a new session.
func (s *Store) insertSession(ctx context.Context, x *Session) error {
	if _, err := s.sessions.InsertOne(ctx, x); err != nil {
		return wrap(err, "create session")
	}
	return nil
}

// update changes session id under its lock: it reads the session, lets
// change modify it (an error leaves it unchanged), and writes it back
// whole with its version moved on. Two commands and a lock.
func (s *Store) update(ctx context.Context, id string, change func(*Session) error) (*Session, error) {
	release, err := s.locks.Lock(ctx, "certification-session:"+id, lockTTL)
	if err != nil {
		return nil, err
	}
	defer release()
	x, err := s.session(ctx, id)
	if err != nil {
		return nil, err
	}
	x.Events = nil
	if err := change(x); err != nil {
		return x, err
	}
	// The log first: a line may then tell of a change a failed write
	// did not keep, never the reverse.
	if len(x.Events) > 0 {
		if _, err := s.logs.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$push": bson.M{"events": bson.M{"$each": x.Events}}},
			options.UpdateOne().SetUpsert(true)); err != nil {
			return nil, wrap(err, "session log")
		}
	}
	x.Version++
	res, err := s.sessions.ReplaceOne(ctx, bson.M{"_id": id, "version": x.Version - 1}, x)
	if err != nil {
		return nil, wrap(err, "update session")
	}
	if res.MatchedCount == 0 {
		return nil, wrap(mongo.ErrNoDocuments, "session "+id+" changed meanwhile")
	}
	return x, nil
}

// Desk is an account's certification desk: the centres it is a référent
// of, and their sessions, newest first (one read by _id for its pages).
type Desk struct {
	UserID   string   `bson:"_id"`
	Centres  []string `bson:"centres"`
	Sessions []string `bson:"sessions"`
}

// desk reads an account's desk; an account without one has an empty desk.
func (s *Store) desk(ctx context.Context, userID string) (*Desk, error) {
	var d Desk
	err := s.desks.FindOne(ctx, bson.M{"_id": userID}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &Desk{UserID: userID}, nil
	}
	if err != nil {
		return nil, wrap(err, "desk")
	}
	return &d, nil
}

// addToDesk adds a centre or a session to an account's desk, under its lock.
func (s *Store) addToDesk(ctx context.Context, userID, field, id string) error {
	release, err := s.locks.Lock(ctx, "certification-desk:"+userID, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	if _, err := s.desks.UpdateOne(ctx, bson.M{"_id": userID}, bson.M{"$addToSet": bson.M{field: id}},
		options.UpdateOne().SetUpsert(true)); err != nil {
		return wrap(err, "desk")
	}
	return nil
}

type logDoc struct {
	SessionID string  `bson:"_id"`
	Events    []Event `bson:"events"`
}

// Log returns a session's log, oldest first: one read by _id.
func (s *Store) Log(ctx context.Context, sessionID string) ([]Event, error) {
	var d logDoc
	err := s.logs.FindOne(ctx, bson.M{"_id": sessionID}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return []Event{}, nil
	}
	if err != nil {
		return nil, wrap(err, "session log")
	}
	return d.Events, nil
}
