package community

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// UpsertSpace creates a space (sp.ID set) or, when it exists, updates its
// title and summary, and its moderators when sp names them; a space made
// without moderators keeps the ones given to it since. Locked.
func (st *Store) UpsertSpace(ctx context.Context, sp Space, now time.Time) error {
	set := bson.M{"title": sp.Title, "summary": sp.Summary}
	onInsert := bson.M{"kind": sp.Kind, "ref": sp.Ref, "visibility": sp.Visibility, "silenced": []Silence{},
		"threads": 0, "createdAt": now}
	if sp.Moderators != nil {
		set["moderators"] = sp.Moderators
	} else {
		onInsert["moderators"] = []string{}
	}
	_, err := st.updateOne(ctx, st.spaces, sp.ID, bson.M{"_id": sp.ID}, bson.M{"$set": set, "$setOnInsert": onInsert}, upsert)
	if err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "community: space "+sp.ID)
	}
	return nil
}

// Space reads a space.
func (st *Store) Space(ctx context.Context, id string) (*Space, error) {
	var sp Space
	if err := st.spaces.FindOne(ctx, bson.M{"_id": id}).Decode(&sp); err != nil {
		return nil, database.Wrap(err, "community: space")
	}
	return &sp, nil
}

// AllSpaces lists every space by kind then title (2000 at most).
func (st *Store) AllSpaces(ctx context.Context) ([]Space, error) {
	return database.FindAll[Space](ctx, "community: spaces", st.spaces, bson.M{},
		options.Find().SetSort(bson.D{{Key: "kind", Value: 1}, {Key: "title", Value: 1}}).SetLimit(2000))
}

// AddSpaceMember admits a person to a members-only theme. Locked.
func (st *Store) AddSpaceMember(ctx context.Context, spaceID, userID string) error {
	if _, err := st.updateOne(ctx, st.spaces, spaceID, bson.M{"_id": spaceID}, bson.M{"$addToSet": bson.M{"members": userID}}); err != nil {
		return database.Wrap(err, "community: add member")
	}
	return nil
}

// SetSpaceModerator adds (on) or removes a moderator of a space. Locked.
func (st *Store) SetSpaceModerator(ctx context.Context, spaceID, userID string, on bool) error {
	change := bson.M{"$addToSet": bson.M{"moderators": userID}}
	if !on {
		change = bson.M{"$pull": bson.M{"moderators": userID}}
	}
	if _, err := st.updateOne(ctx, st.spaces, spaceID, bson.M{"_id": spaceID}, change); err != nil {
		return database.Wrap(err, "community: moderators")
	}
	return nil
}

// IncSpaceThreads moves a space's thread count by n. Locked.
func (st *Store) IncSpaceThreads(ctx context.Context, spaceID string, n int) error {
	if _, err := st.updateOne(ctx, st.spaces, spaceID, bson.M{"_id": spaceID}, bson.M{"$inc": bson.M{"threads": n}}); err != nil {
		return database.Wrap(err, "community: count threads")
	}
	return nil
}

// AddSilence appends a silence to a space. Locked.
func (st *Store) AddSilence(ctx context.Context, spaceID string, sl Silence) error {
	if _, err := st.updateOne(ctx, st.spaces, spaceID, bson.M{"_id": spaceID}, bson.M{"$push": bson.M{"silenced": sl}}); err != nil {
		return database.Wrap(err, "community: silence")
	}
	return nil
}
