package community

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// noteChanged is the update of a notification's state the list shows: the
// same update adds the note-page marker, taken off once the change is
// copied to the notification's page (Store.CopyNotes).
func noteChanged(set bson.M) bson.M {
	set["pendingAt"] = time.Now().UTC()
	return bson.M{"$set": set, "$addToSet": bson.M{"pending": markerNotePage}}
}

// MarkMailed marks one notification emailed, so no digest repeats it; its
// page is copied by the caller (CopyNotes).
func (st *Store) MarkMailed(ctx context.Context, id string) error {
	if _, err := st.notes.UpdateOne(ctx, bson.M{"_id": id}, noteChanged(bson.M{"digested": true})); err != nil {
		return database.Wrap(err, "community: mailed")
	}
	return nil
}

// MarkDigested marks the notifications ids emailed (or left out of
// digests); their pages are copied by the caller (CopyNotes).
func (st *Store) MarkDigested(ctx context.Context, ids []string) error {
	if _, err := st.notes.UpdateMany(ctx, bson.M{"_id": bson.M{"$in": ids}}, noteChanged(bson.M{"digested": true})); err != nil {
		return database.Wrap(err, "community: digested")
	}
	return nil
}

// Notifications lists a person's newest notifications (NotePageSize),
// newest first, from their pages (NotificationPage).
func (st *Store) Notifications(ctx context.Context, userID string) ([]Notification, error) {
	return st.NotificationPage(ctx, userID)
}

// ToDigest lists, oldest first, the (at most 200) notifications of a
// person neither read nor emailed.
func (st *Store) ToDigest(ctx context.Context, userID string) ([]Notification, error) {
	return database.FindAll[Notification](ctx, "community: digest notifications", st.notes,
		bson.M{"userId": userID, "digested": false, "read": false},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}).SetLimit(200))
}

// RenameInNotifications signs the notifications about the posts ids with
// name and returns their ids, whose pages the caller copies (CopyNotes).
func (st *Store) RenameInNotifications(ctx context.Context, postIDs []string, name string) ([]string, error) {
	return st.renameNotes(ctx, bson.M{"postId": bson.M{"$in": postIDs}}, name)
}

// RenameInPostNotifications signs the notifications about one post with
// name and returns their ids, whose pages the caller copies (CopyNotes).
func (st *Store) RenameInPostNotifications(ctx context.Context, postID, name string) ([]string, error) {
	return st.renameNotes(ctx, bson.M{"postId": postID}, name)
}

func (st *Store) renameNotes(ctx context.Context, filter bson.M, name string) ([]string, error) {
	if _, err := st.notes.UpdateMany(ctx, filter, noteChanged(bson.M{"byName": name})); err != nil {
		return nil, database.Wrap(err, "community: scrub notifications")
	}
	refs, err := st.noteRefs(ctx, filter)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids, nil
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
