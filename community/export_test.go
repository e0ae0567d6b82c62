package community

import (
	"context"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
)

// StoreOf returns the service's store, so that a test writes a post as a
// crash would leave it: without its page copy.
func StoreOf(s *Service) *Store { return s.store }

// PageDoc reads a thread's page k as stored, by seq, without the rebuild
// PostPage does for a page it finds incomplete.
func (st *Store) PageDoc(ctx context.Context, threadID string, k int) (map[int]Post, error) {
	doc, err := st.pageDoc(ctx, postPageID(threadID, k))
	if err != nil {
		return nil, err
	}
	out := map[int]Post{}
	for key, p := range doc.Posts {
		seq, err := strconv.Atoi(key)
		if err != nil || seq != p.Seq {
			return nil, strconv.ErrSyntax
		}
		out[seq] = p
	}
	return out, nil
}

// DeletePostPage deletes a thread's page k, as before pages existed.
func (st *Store) DeletePostPage(ctx context.Context, threadID string, k int) error {
	return st.deletePostPage(ctx, threadID, k)
}

// Notify writes one notification as the notify task does: numbered,
// counted, copied to its page, mailed to the immediate (a retried task
// calls it again with the same notification).
func Notify(ctx context.Context, s *Service, n Notification) error { return s.notify(ctx, n) }

// InsertUnnumbered stores a notification as before pages (no seq, no page).
func (st *Store) InsertUnnumbered(ctx context.Context, n Notification) error {
	return st.insertUnnumbered(ctx, n)
}

// NotePage reads a person's notification page k as stored, by seq.
func (st *Store) NotePage(ctx context.Context, userID string, k int) (map[int]Notification, error) {
	return st.notePage(ctx, userID, k)
}

// NotePending reads a notification's seq and pending markers.
func (st *Store) NotePending(ctx context.Context, id string) (int, []string, error) {
	return st.notePending(ctx, id)
}

// SetListPageSize makes the store's list pages hold n threads (tests: many
// pages from few threads).
func (st *Store) SetListPageSize(n int) { st.listPageSize = n }

// SpaceThreads reads every thread of a space from the threads collection,
// the source the lists copy.
func (st *Store) SpaceThreads(ctx context.Context, spaceID string) ([]Thread, error) {
	return database.FindAll[Thread](ctx, "test: threads", st.threads, bson.M{"spaceId": spaceID})
}

// ListEntries reads every thread a space's list documents hold, as stored
// (pinned from the head, the others from the pages), without a rebuild.
func (st *Store) ListEntries(ctx context.Context, spaceID string) (pinned, listed map[string][]Thread, err error) {
	head, err := st.listHead(ctx, spaceID)
	if err != nil {
		return nil, nil, err
	}
	pinned, listed = map[string][]Thread{}, map[string][]Thread{}
	for id, t := range head.Pinned {
		pinned[id] = append(pinned[id], t)
	}
	for k := 0; k <= head.Last; k++ {
		page, err := st.listPageDoc(ctx, listPageID(spaceID, k))
		if err != nil {
			return nil, nil, err
		}
		for id, t := range page.Threads {
			listed[id] = append(listed[id], t)
		}
	}
	return pinned, listed, nil
}

// UnlistSpace deletes a space's list head, as before lists existed.
func (st *Store) UnlistSpace(ctx context.Context, spaceID string) error {
	return st.unlistThreadSpace(ctx, spaceID)
}

// ForgetFirstPage drops the first page of a space's threads the service keeps.
func ForgetFirstPage(s *Service, spaceID string) { s.dropFirstPage(spaceID) }
