package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Member reads a person's standing; errkind.ErrNotFound when they never took part.
func (st *Store) Member(ctx context.Context, userID string) (*Member, error) {
	var m Member
	if err := st.members.FindOne(ctx, bson.M{"_id": userID}).Decode(&m); err != nil {
		return nil, database.Wrap(err, "community: member")
	}
	return &m, nil
}

// IncMemberPosts counts a post in its author's standing. Locked.
func (st *Store) IncMemberPosts(ctx context.Context, userID string) error {
	_, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$inc": bson.M{"posts": 1}}, upsert)
	return err
}

// SetMemberPosts sets how many posts a person's standing counts, as an
// import of their posts from another forum would; the trust levels read
// it (a member needs a few posts to post links and images). Tests use it
// to start from a trusted member. Locked.
func (st *Store) SetMemberPosts(ctx context.Context, userID string, posts int) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$set": bson.M{"posts": posts}}, upsert); err != nil {
		return database.Wrap(err, "community: set posts")
	}
	return nil
}

// IncAccepted counts an accepted answer in its author's standing. Locked.
func (st *Store) IncAccepted(ctx context.Context, userID string) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$inc": bson.M{"accepted": 1}}, upsert); err != nil {
		return database.Wrap(err, "community: count accepted")
	}
	return nil
}

// DecAccepted takes an accepted answer back from a person's standing,
// never below zero. Locked.
func (st *Store) DecAccepted(ctx context.Context, userID string) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID, "accepted": bson.M{"$gt": 0}},
		bson.M{"$inc": bson.M{"accepted": -1}}); err != nil {
		return database.Wrap(err, "community: count accepted")
	}
	return nil
}

// IncUnread counts a new notification unread. Locked.
func (st *Store) IncUnread(ctx context.Context, userID string) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$inc": bson.M{"unread": 1}}, upsert); err != nil {
		return database.Wrap(err, "community: count unread")
	}
	return nil
}

// ResetUnread sets a person's unread count to zero. Locked.
func (st *Store) ResetUnread(ctx context.Context, userID string) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$set": bson.M{"unread": 0}}); err != nil {
		return database.Wrap(err, "community: mark read")
	}
	return nil
}

// SetDigest records how a person wants their notifications emailed. Locked.
func (st *Store) SetDigest(ctx context.Context, userID, digest string) error {
	if _, err := st.updateOne(ctx, st.members, userID, bson.M{"_id": userID}, bson.M{"$set": bson.M{"digest": digest}}, upsert); err != nil {
		return database.Wrap(err, "community: digest preference")
	}
	return nil
}

// DigestMembers lists the people who chose freq (daily also takes those
// who chose nothing) and have notifications unread.
func (st *Store) DigestMembers(ctx context.Context, freq string) ([]Member, error) {
	filter := bson.M{"digest": freq, "unread": bson.M{"$gt": 0}}
	if freq == DigestDaily {
		filter = bson.M{"$or": bson.A{bson.M{"digest": DigestDaily}, bson.M{"digest": bson.M{"$exists": false}}}, "unread": bson.M{"$gt": 0}}
	}
	return database.FindAll[Member](ctx, "community: digest members", st.members, filter, options.Find().SetLimit(100000))
}
