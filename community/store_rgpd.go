package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/profile"
)

// exportLimit bounds each list of an export; far above what one person writes.
const exportLimit = 100000

func byDate(field string) *options.FindOptionsBuilder {
	return options.Find().SetSort(bson.D{{Key: field, Value: 1}}).SetLimit(exportLimit)
}

// PostsBy lists, oldest first, the posts a person wrote (without their
// search tokens), for their export.
func (st *Store) PostsBy(ctx context.Context, userID string) ([]Post, error) {
	return database.FindAll[Post](ctx, "community: export posts", st.posts, bson.M{"authorId": userID}, byDate("createdAt").SetProjection(bson.M{"tokens": 0}))
}

// ThreadsStartedBy lists, oldest first, the threads a person started, for their export.
func (st *Store) ThreadsStartedBy(ctx context.Context, userID string) ([]Thread, error) {
	return database.FindAll[Thread](ctx, "community: export threads", st.threads, bson.M{"authorId": userID}, byDate("createdAt"))
}

// FlagsBy lists, oldest first, the flags a person filed.
func (st *Store) FlagsBy(ctx context.Context, userID string) ([]Flag, error) {
	return database.FindAll[Flag](ctx, "community: export flags", st.flags, bson.M{"byId": userID}, byDate("createdAt"))
}

// ReactionsBy lists, oldest first, the reactions a person gave.
func (st *Store) ReactionsBy(ctx context.Context, userID string) ([]ExportedReaction, error) {
	return database.FindAll[ExportedReaction](ctx, "community: export reactions", st.reactions, bson.M{"userId": userID}, byDate("at"))
}

// AllSubscriptionsOf lists, oldest first, every subscription of a person.
func (st *Store) AllSubscriptionsOf(ctx context.Context, userID string) ([]Subscription, error) {
	return database.FindAll[Subscription](ctx, "community: export subscriptions", st.subs, bson.M{"userId": userID}, byDate("createdAt"))
}

// AllNotificationsOf lists, oldest first, every notification of a person.
func (st *Store) AllNotificationsOf(ctx context.Context, userID string) ([]Notification, error) {
	return database.FindAll[Notification](ctx, "community: export notifications", st.notes, bson.M{"userId": userID}, byDate("createdAt"))
}

// ActionsBy lists, oldest first, the moderation actions a person took.
func (st *Store) ActionsBy(ctx context.Context, userID string) ([]Action, error) {
	return database.FindAll[Action](ctx, "community: export moderation", st.log, bson.M{"by": userID}, byDate("at"))
}

// ImageIDsBy lists, oldest first, the ids of the images a person uploaded.
func (st *Store) ImageIDsBy(ctx context.Context, userID string) ([]string, error) {
	images, err := database.FindAll[imageDoc](ctx, "community: export images", st.images, bson.M{"ownerId": userID},
		byDate("createdAt").SetProjection(bson.M{"data": 0}))
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(images))
	for _, im := range images {
		out = append(out, im.ID)
	}
	return out, nil
}

// SignPostDeleted signs a post profile.DeletedName, one post at a time
// (PostIDsBy lists them): under the post's lock, like every other write
// of a post, and with the page marker, since pages show the name.
func (st *Store) SignPostDeleted(ctx context.Context, postID string) error {
	if _, err := st.updateOne(ctx, st.posts, postID, bson.M{"_id": postID},
		toPage(bson.M{"$set": bson.M{"authorName": profile.DeletedName, "authorHandle": ""}})); err != nil {
		return database.Wrap(err, "community: anonymize post")
	}
	return nil
}

// SignThreadDeleted signs a thread profile.DeletedName (ThreadIDsBy lists
// a person's threads). Locked; marks the list copy, since lists show the name.
func (st *Store) SignThreadDeleted(ctx context.Context, threadID string) error {
	if _, err := st.updateOne(ctx, st.threads, threadID, bson.M{"_id": threadID},
		toList(bson.M{"$set": bson.M{"authorName": profile.DeletedName}})); err != nil {
		return database.Wrap(err, "community: anonymize thread")
	}
	return nil
}

// PostIDsBy lists the ids of every post a person wrote.
func (st *Store) PostIDsBy(ctx context.Context, userID string) ([]string, error) {
	posts, err := database.FindAll[Post](ctx, "community: posts to scrub", st.posts, bson.M{"authorId": userID},
		options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(posts))
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	return ids, nil
}

// ScrubNameFromModeration replaces a person's name in the flags they filed
// and in the moderation log.
func (st *Store) ScrubNameFromModeration(ctx context.Context, userID string) error {
	for _, scrub := range []struct {
		coll   *mongo.Collection
		filter bson.M
		field  string
	}{
		{st.flags, bson.M{"byId": userID}, "byName"},
		{st.log, bson.M{"by": userID}, "byName"},
	} {
		if _, err := scrub.coll.UpdateMany(ctx, scrub.filter, bson.M{"$set": bson.M{scrub.field: profile.DeletedName}}); err != nil {
			return database.Wrap(err, "community: scrub name")
		}
	}
	return nil
}

// DeletePersonal deletes a person's subscriptions, notifications (and
// their pages), standing and reactions.
func (st *Store) DeletePersonal(ctx context.Context, userID string) error {
	if err := st.deleteNotePages(ctx, userID); err != nil {
		return err
	}
	for _, erase := range []struct {
		coll   *mongo.Collection
		filter bson.M
	}{
		{st.subs, bson.M{"userId": userID}},
		{st.notes, bson.M{"userId": userID}},
		{st.members, bson.M{"_id": userID}},
		{st.reactions, bson.M{"userId": userID}},
	} {
		if _, err := erase.coll.DeleteMany(ctx, erase.filter); err != nil {
			return database.Wrap(err, "community: erase")
		}
	}
	return nil
}
