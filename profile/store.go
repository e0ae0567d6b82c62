package profile

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// Collection names owned by this package.
const (
	UsersCollection  = "users"
	TokensCollection = "api_tokens"
	AuditCollection  = "audit"
)

// Indexes are the indexes profile's queries rely on.
var Indexes = []database.Index{
	{Collection: UsersCollection, Keys: []string{"emailLower"}, Unique: true},
	{Collection: UsersCollection, Keys: []string{"handle"}, Unique: true},
	// Sparse: accounts from before skeletons, or erased, have none.
	{Collection: UsersCollection, Keys: []string{"handleSkeleton"}, Unique: true, Sparse: true},
	{Collection: UsersCollection, Keys: []string{"createdAt"}},
	{Collection: TokensCollection, Keys: []string{"userId", "createdAt"}},
	{Collection: TokensCollection, Keys: []string{"expiresAt"}},
	{Collection: AuditCollection, Keys: []string{"-at"}},
	{Collection: AuditCollection, Keys: []string{"targetId", "-at"}},
}

// Store reads and writes accounts, API tokens and the audit log.
type Store struct {
	users  *mongo.Collection
	tokens *mongo.Collection
	audit  *mongo.Collection
	// claims serialize the updates of one account (lockUser); the service
	// sets them. FerretDB runs an update as a read then an overwrite of the
	// whole document, so two updates of one account at once (a mail task
	// clearing its marker while the person verifies their address) would
	// otherwise lose one.
	claims *claim.Claims
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{
		users:  db.Collection(UsersCollection),
		tokens: db.Collection(TokensCollection),
		audit:  db.Collection(AuditCollection),
	}
}

func notFound(err error, what string) error { return database.Wrap(err, "profile: "+what) }

// InsertUser stores a new account. A duplicate email or handle returns
// errkind.ErrConflict wrapped with the field in errDuplicate.
func (s *Store) InsertUser(ctx context.Context, u *User) error {
	_, err := s.users.InsertOne(ctx, u)
	if database.IsDuplicate(err) {
		return errDuplicate
	}
	if err != nil {
		return fmt.Errorf("profile: insert user: %w", err)
	}
	return nil
}

var errDuplicate = fmt.Errorf("profile: duplicate email or handle: %w", errkind.ErrConflict)

// User returns the account with id.
func (s *Store) User(ctx context.Context, id string) (*User, error) {
	var u User
	if err := s.users.FindOne(ctx, bson.M{"_id": id}).Decode(&u); err != nil {
		return nil, notFound(err, "user "+id)
	}
	return &u, nil
}

// UserByEmail returns the account with this email, in any case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	if err := s.users.FindOne(ctx, bson.M{"emailLower": strings.ToLower(strings.TrimSpace(email))}).Decode(&u); err != nil {
		return nil, notFound(err, "user by email")
	}
	return &u, nil
}

// UserByHandle returns the account with this handle.
func (s *Store) UserByHandle(ctx context.Context, handle string) (*User, error) {
	var u User
	if err := s.users.FindOne(ctx, bson.M{"handle": strings.ToLower(handle)}).Decode(&u); err != nil {
		return nil, notFound(err, "user by handle")
	}
	return &u, nil
}

// UserByHandleSkeleton returns the account whose handle has this skeleton.
func (s *Store) UserByHandleSkeleton(ctx context.Context, skeleton string) (*User, error) {
	var u User
	if err := s.users.FindOne(ctx, bson.M{"handleSkeleton": skeleton}).Decode(&u); err != nil {
		return nil, notFound(err, "user by handle skeleton")
	}
	return &u, nil
}

// updateUser applies update to the account matching filter and returns it as
// it is after the update; no match is ErrNotFound.
func (s *Store) updateUser(ctx context.Context, filter, update bson.M) (*User, error) {
	release, err := s.lockUser(ctx, filter)
	if err != nil {
		return nil, err
	}
	defer release()
	var u User
	err = s.users.FindOneAndUpdate(ctx, filter, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&u)
	if err != nil {
		return nil, notFound(err, "update user")
	}
	return &u, nil
}

// lockUser takes the lock of the account filter names by _id, so that its
// update does not interleave with another update of that account. A store
// without claims (a test's own) or a filter without a single _id takes none.
func (s *Store) lockUser(ctx context.Context, filter bson.M) (func(), error) {
	id, ok := filter["_id"].(string)
	if s.claims == nil || !ok {
		return func() {}, nil
	}
	release, err := s.claims.Lock(ctx, UsersCollection+":"+id, 5*time.Second)
	if err != nil {
		return nil, fmt.Errorf("profile: lock account: %w", err)
	}
	return release, nil
}

// UserPage is one page of a user listing.
type UserPage struct {
	Users []User
	Next  string // the id to pass as after for the next page, "" at the end
}

// ListUsers returns accounts in id order after the given id, optionally
// filtered by a search on email, name or handle (a prefix of any word).
func (s *Store) ListUsers(ctx context.Context, search, after string, limit int) (UserPage, error) {
	filter := bson.M{"deleted": bson.M{"$ne": true}}
	if after != "" {
		filter["_id"] = bson.M{"$gt": after}
	}
	if q := strings.TrimSpace(search); q != "" {
		re := bson.Regex{Pattern: regexp.QuoteMeta(strings.ToLower(q)), Options: "i"}
		filter["$or"] = bson.A{bson.M{"emailLower": re}, bson.M{"name": re}, bson.M{"handle": re}}
	}
	cur, err := s.users.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit+1)))
	if err != nil {
		return UserPage{}, fmt.Errorf("profile: list users: %w", err)
	}
	var page UserPage
	if err := cur.All(ctx, &page.Users); err != nil {
		return UserPage{}, fmt.Errorf("profile: list users: %w", err)
	}
	if len(page.Users) > limit {
		page.Users = page.Users[:limit]
		page.Next = page.Users[limit-1].ID
	}
	return page, nil
}

// AuditEntry records one administrative action: who did what to whom, when and why.
type AuditEntry struct {
	ID       string    `bson:"_id" json:"id"`
	At       time.Time `bson:"at" json:"at"`
	ActorID  string    `bson:"actorId" json:"actorId"`
	Actor    string    `bson:"actor" json:"actor"`
	Action   string    `bson:"action" json:"action"`
	TargetID string    `bson:"targetId" json:"targetId"`
	Target   string    `bson:"target" json:"target"`
	Detail   string    `bson:"detail,omitempty" json:"detail,omitempty"`
	Reason   string    `bson:"reason" json:"reason"`
}

// InsertAudit appends an entry to the audit log.
func (s *Store) InsertAudit(ctx context.Context, e AuditEntry) error {
	if _, err := s.audit.InsertOne(ctx, e); err != nil {
		return fmt.Errorf("profile: audit: %w", err)
	}
	return nil
}

// Audit lists audit entries, newest first, older than before when it is set;
// targetID filters on one account when not empty.
func (s *Store) Audit(ctx context.Context, targetID string, before time.Time, limit int) ([]AuditEntry, error) {
	filter := bson.M{}
	if targetID != "" {
		filter["targetId"] = targetID
	}
	if !before.IsZero() {
		filter["at"] = bson.M{"$lt": before}
	}
	cur, err := s.audit.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("profile: audit list: %w", err)
	}
	var out []AuditEntry
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("profile: audit list: %w", err)
	}
	return out, nil
}
