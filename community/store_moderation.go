package community

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// InsertFlag stores a flag once (its id is postId:byId).
func (st *Store) InsertFlag(ctx context.Context, f Flag) error {
	if _, err := st.flags.InsertOne(ctx, f); err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "community: flag")
	}
	return nil
}

// OpenFlags lists a space's 100 newest open flags.
func (st *Store) OpenFlags(ctx context.Context, spaceID string) ([]Flag, error) {
	return database.FindAll[Flag](ctx, "community: flags", st.flags, bson.M{"spaceId": spaceID, "open": true},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(100))
}

// CloseFlags closes a post's open flags, resolved by a moderator.
func (st *Store) CloseFlags(ctx context.Context, postID, by string) error {
	if _, err := st.flags.UpdateMany(ctx, bson.M{"postId": postID, "open": true}, bson.M{"$set": bson.M{"open": false, "resolvedBy": by}}); err != nil {
		return database.Wrap(err, "community: close flags")
	}
	return nil
}

// InsertAction appends an action to the moderation log.
func (st *Store) InsertAction(ctx context.Context, a Action) error {
	_, err := st.log.InsertOne(ctx, a)
	return err
}

// Actions lists the newest limit actions of the log, of one space or
// ("") of all.
func (st *Store) Actions(ctx context.Context, spaceID string, limit int) ([]Action, error) {
	f := bson.M{}
	if spaceID != "" {
		f["spaceId"] = spaceID
	}
	return database.FindAll[Action](ctx, "community: log", st.log, f, options.Find().SetSort(bson.D{{Key: "at", Value: -1}}).SetLimit(int64(limit)))
}

// InsertReaction stores a person's reaction to a post once; it reports
// false when it was there already.
func (st *Store) InsertReaction(ctx context.Context, id, postID, userID, kind string, at time.Time) (bool, error) {
	if _, err := st.reactions.InsertOne(ctx, bson.M{"_id": id, "postId": postID, "userId": userID, "kind": kind, "at": at}); err != nil {
		if database.IsDuplicate(err) {
			return false, nil
		}
		return false, database.Wrap(err, "community: react")
	}
	return true, nil
}

// DeleteReaction deletes a reaction by its id; it reports whether there was one.
func (st *Store) DeleteReaction(ctx context.Context, id string) (bool, error) {
	res, err := st.reactions.DeleteOne(ctx, bson.M{"_id": id})
	if err != nil {
		return false, database.Wrap(err, "community: unreact")
	}
	return res.DeletedCount > 0, nil
}

// InsertImage stores an image once (its id derives from its content).
func (st *Store) InsertImage(ctx context.Context, d imageDoc) error {
	_, err := st.images.UpdateOne(ctx, bson.M{"_id": d.ID}, bson.M{"$setOnInsert": d}, upsert)
	if err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "community: store image")
	}
	return nil
}

// Image reads an uploaded image and its type.
func (st *Store) Image(ctx context.Context, id string) ([]byte, string, error) {
	var d imageDoc
	if err := st.images.FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return nil, "", database.Wrap(err, fmt.Sprintf("community: image %q", id))
	}
	return d.Data, d.ContentType, nil
}
