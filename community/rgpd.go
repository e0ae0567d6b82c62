package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/profile"
)

// PersonalData is what the communities store about a person.
type PersonalData struct {
	Posts         []Post         `json:"posts"`
	Subscriptions []Subscription `json:"subscriptions"`
	Notifications []Notification `json:"notifications"`
	Member        *Member        `json:"standing"`
}

// ExportFor gathers a person's posts (with their Markdown), subscriptions
// and notifications.
func (s *Service) ExportFor(ctx context.Context, userID string) (*PersonalData, error) {
	cur, err := s.posts.Find(ctx, bson.M{"authorId": userID}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}).SetProjection(bson.M{"tokens": 0}))
	if err != nil {
		return nil, database.Wrap(err, "community: export posts")
	}
	out := &PersonalData{Posts: []Post{}}
	if err := cur.All(ctx, &out.Posts); err != nil {
		return nil, database.Wrap(err, "community: export posts")
	}
	if out.Subscriptions, err = s.SubscriptionsOf(ctx, userID); err != nil {
		return nil, err
	}
	if out.Notifications, _, err = s.Notifications(ctx, userID); err != nil {
		return nil, err
	}
	if out.Member, err = s.Member(ctx, userID); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteFor is the communities' part of an account's erasure: posts stay
// where others answered them, signed "Compte supprimé"; subscriptions,
// notifications and standing are deleted.
func (s *Service) DeleteFor(ctx context.Context, userID string) error {
	signed := bson.M{"$set": bson.M{"authorName": profile.DeletedName, "authorHandle": ""}}
	if _, err := s.posts.UpdateMany(ctx, bson.M{"authorId": userID}, signed); err != nil {
		return database.Wrap(err, "community: anonymize posts")
	}
	if _, err := s.threads.UpdateMany(ctx, bson.M{"authorId": userID}, bson.M{"$set": bson.M{"authorName": profile.DeletedName}}); err != nil {
		return database.Wrap(err, "community: anonymize threads")
	}
	for _, erase := range []struct {
		coll   *mongo.Collection
		filter bson.M
	}{
		{s.subs, bson.M{"userId": userID}},
		{s.notes, bson.M{"userId": userID}},
		{s.members, bson.M{"_id": userID}},
		{s.reactions, bson.M{"userId": userID}},
	} {
		if _, err := erase.coll.DeleteMany(ctx, erase.filter); err != nil {
			return database.Wrap(err, "community: erase")
		}
	}
	return nil
}
