package community

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// InsertNotification stores a notification once; it reports false when
// one of that id was there already.
func (st *Store) InsertNotification(ctx context.Context, n Notification) (bool, error) {
	if _, err := st.notes.InsertOne(ctx, n); err != nil {
		if database.IsDuplicate(err) {
			return false, nil
		}
		return false, database.Wrap(err, "community: notification")
	}
	return true, nil
}

// MarkMailed marks one notification emailed, so no digest repeats it.
func (st *Store) MarkMailed(ctx context.Context, id string) error {
	if _, err := st.notes.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"digested": true}}); err != nil {
		return database.Wrap(err, "community: mailed")
	}
	return nil
}

// MarkDigested marks the notifications ids emailed (or left out of digests).
func (st *Store) MarkDigested(ctx context.Context, ids []string) error {
	if _, err := st.notes.UpdateMany(ctx, bson.M{"_id": bson.M{"$in": ids}}, bson.M{"$set": bson.M{"digested": true}}); err != nil {
		return database.Wrap(err, "community: digested")
	}
	return nil
}

// Notifications lists a person's 50 newest notifications.
func (st *Store) Notifications(ctx context.Context, userID string) ([]Notification, error) {
	return database.FindAll[Notification](ctx, "community: notifications", st.notes, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(50))
}

// MarkAllRead marks every unread notification of a person read.
func (st *Store) MarkAllRead(ctx context.Context, userID string) error {
	if _, err := st.notes.UpdateMany(ctx, bson.M{"userId": userID, "read": false}, bson.M{"$set": bson.M{"read": true}}); err != nil {
		return database.Wrap(err, "community: mark read")
	}
	return nil
}

// ToDigest lists, oldest first, the (at most 200) notifications of a
// person neither read nor emailed.
func (st *Store) ToDigest(ctx context.Context, userID string) ([]Notification, error) {
	return database.FindAll[Notification](ctx, "community: digest notifications", st.notes,
		bson.M{"userId": userID, "digested": false, "read": false},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}).SetLimit(200))
}

// RenameInNotifications signs the notifications about the posts ids with name.
func (st *Store) RenameInNotifications(ctx context.Context, postIDs []string, name string) error {
	if _, err := st.notes.UpdateMany(ctx, bson.M{"postId": bson.M{"$in": postIDs}}, bson.M{"$set": bson.M{"byName": name}}); err != nil {
		return database.Wrap(err, "community: scrub notifications")
	}
	return nil
}

// RenameInPostNotifications signs the notifications about one post with name.
func (st *Store) RenameInPostNotifications(ctx context.Context, postID, name string) error {
	if _, err := st.notes.UpdateMany(ctx, bson.M{"postId": postID}, bson.M{"$set": bson.M{"byName": name}}); err != nil {
		return database.Wrap(err, "community: scrub notifications")
	}
	return nil
}

// Subscribe stores a subscription once (its id is userId|target).
func (st *Store) Subscribe(ctx context.Context, sub Subscription) error {
	_, err := st.subs.UpdateOne(ctx, bson.M{"_id": sub.ID}, bson.M{"$setOnInsert": sub}, upsert)
	if err != nil && !database.IsDuplicate(err) {
		return database.Wrap(err, "community: subscribe")
	}
	return nil
}

// Unsubscribe deletes a subscription by its id.
func (st *Store) Unsubscribe(ctx context.Context, id string) error {
	if _, err := st.subs.DeleteOne(ctx, bson.M{"_id": id}); err != nil {
		return database.Wrap(err, "community: unsubscribe")
	}
	return nil
}

// Subscribed reports whether the subscription id exists.
func (st *Store) Subscribed(ctx context.Context, id string) (bool, error) {
	n, err := st.subs.CountDocuments(ctx, bson.M{"_id": id})
	if err != nil {
		return false, database.Wrap(err, "community: subscription")
	}
	return n > 0, nil
}

// Subscribers lists the subscriptions to any of targets (10000 at most).
func (st *Store) Subscribers(ctx context.Context, targets []string) ([]Subscription, error) {
	return database.FindAll[Subscription](ctx, "community: subscribers", st.subs, bson.M{"target": bson.M{"$in": targets}},
		options.Find().SetLimit(10000))
}

// SubscriptionsOf lists a person's 200 newest subscriptions.
func (st *Store) SubscriptionsOf(ctx context.Context, userID string) ([]Subscription, error) {
	return database.FindAll[Subscription](ctx, "community: subscriptions", st.subs, bson.M{"userId": userID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(200))
}
