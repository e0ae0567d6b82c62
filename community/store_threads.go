package community

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// InsertThread stores a new thread, with the marker of its list copy.
func (st *Store) InsertThread(ctx context.Context, t *Thread) error {
	t.Pending, t.PendingAt = []string{markerList}, time.Now().UTC()
	if _, err := st.threads.InsertOne(ctx, t); err != nil {
		return database.Wrap(err, "community: thread")
	}
	return nil
}

// Thread reads a thread.
func (st *Store) Thread(ctx context.Context, id string) (*Thread, error) {
	var t Thread
	if err := st.threads.FindOne(ctx, bson.M{"_id": id}).Decode(&t); err != nil {
		return nil, database.Wrap(err, "community: thread")
	}
	return &t, nil
}

// CountReply records the reply of rank seq at now in its thread: the
// count of posts, the latest post's time and the sort key moved forward
// (never back). The count is the highest rank claimed ($max, not $inc):
// ranks are dense, so it is the number of posts, and a reply whose count
// a crash lost is counted by the next one, so that pages show it.
// Locked.
func (st *Store) CountReply(ctx context.Context, t *Thread, seq int, now time.Time) error {
	if _, err := st.updateOne(ctx, st.threads, t.ID, bson.M{"_id": t.ID}, toList(bson.M{
		"$max": bson.M{"posts": seq, "lastPostAt": now, "sortKey": sortKey(t.Pinned, now, t.ID)},
	})); err != nil {
		return database.Wrap(err, "community: thread")
	}
	return nil
}

// IncViews adds n views to a thread. Locked; marks the list copy (as
// every write of a thread does).
func (st *Store) IncViews(ctx context.Context, threadID string, n int) error {
	if _, err := st.updateOne(ctx, st.threads, threadID, bson.M{"_id": threadID}, toList(bson.M{"$inc": bson.M{"views": n}})); err != nil {
		return database.Wrap(err, "community: count views")
	}
	return nil
}

// LockThread takes the lock the thread's locked updates take, for a
// read-then-write of the caller's (accepting an answer); release it.
func (st *Store) LockThread(ctx context.Context, threadID string) (release func(), err error) {
	return st.lock(ctx, st.threads, threadID)
}

// SetAccepted records a thread's accepted answer and its author. Not
// locked: the caller holds LockThread.
func (st *Store) SetAccepted(ctx context.Context, threadID, postID, authorID string) error {
	if _, err := st.threads.UpdateOne(ctx, bson.M{"_id": threadID}, toList(bson.M{"$set": bson.M{"accepted": postID, "acceptedAuthorId": authorID}})); err != nil {
		return database.Wrap(err, "community: accept")
	}
	return nil
}

// SetThreadLocked locks or unlocks a thread. Locked.
func (st *Store) SetThreadLocked(ctx context.Context, threadID string, locked bool) error {
	return st.setThread(ctx, threadID, bson.M{"locked": locked})
}

// SetThreadPinned pins or unpins a thread, with its new sort key. Locked.
func (st *Store) SetThreadPinned(ctx context.Context, threadID string, pinned bool, key string) error {
	return st.setThread(ctx, threadID, bson.M{"pinned": pinned, "sortKey": key})
}

// SetThreadSpace moves a thread (not its posts: MovePosts) to a space. Locked.
func (st *Store) SetThreadSpace(ctx context.Context, threadID, spaceID string) error {
	return st.setThread(ctx, threadID, bson.M{"spaceId": spaceID})
}

func (st *Store) setThread(ctx context.Context, threadID string, set bson.M) error {
	if _, err := st.updateOne(ctx, st.threads, threadID, bson.M{"_id": threadID}, toList(bson.M{"$set": set})); err != nil {
		return database.Wrap(err, "community: moderate thread")
	}
	return nil
}

// ThreadsBy lists the last 100 threads a person started, newest first.
func (st *Store) ThreadsBy(ctx context.Context, userID string) ([]Thread, error) {
	return database.FindAll[Thread](ctx, "community: threads by", st.threads, bson.M{"authorId": userID},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(100))
}

// ThreadSpaces reads the space of each of the threads ids (the threads
// hold only their id and spaceId).
func (st *Store) ThreadSpaces(ctx context.Context, ids []string) ([]Thread, error) {
	return database.FindAll[Thread](ctx, "community: digest threads", st.threads, bson.M{"_id": bson.M{"$in": ids}},
		options.Find().SetProjection(bson.M{"spaceId": 1}))
}
