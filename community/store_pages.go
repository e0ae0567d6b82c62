package community

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
)

// A thread's posts are also kept in page documents, PageSize posts each,
// so that a page of a thread is read by _id on every backend (FerretDB
// filters ranges and sorts in Go, after reading every post the equality
// on threadId returned). The posts collection stays the source of truth;
// a page document is a copy, rebuilt from it when found incomplete.
// docs/community.md, "Thread pages".

// postPageDoc is one page of a thread: _id "<threadId>:<k>", its posts
// keyed by their seq as a decimal string, so that copying one post is a
// $set of one field.
type postPageDoc struct {
	ID    string          `bson:"_id"`
	Posts map[string]Post `bson:"posts"`
}

// pageOf returns the page (0-based) that holds the post of rank seq.
func pageOf(seq int) int { return (seq - 1) / PageSize }

// postPageID is the _id of a thread's page k.
func postPageID(threadID string, k int) string { return threadID + ":" + strconv.Itoa(k) }

// pageFields are the fields of a post a page document does not keep: the
// search tokens, the outbox's markers and the space (a moved thread's
// posts take its space from the thread, so a move rewrites no page).
var pageFields = []string{"tokens", "pending", "pendingAt", "spaceId"}

// pageEntry is the post as its page keeps it.
func pageEntry(p *Post) (bson.D, error) {
	raw, err := bson.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("community: page entry: %w", err)
	}
	var d bson.D
	if err := bson.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("community: page entry: %w", err)
	}
	return slices.DeleteFunc(d, func(e bson.E) bool { return slices.Contains(pageFields, e.Key) }), nil
}

// CopyPostToPage copies a post's current state into its page document
// (created if missing) and takes the page marker off the post. It holds
// the post's lock, then the page's: every locked write of the post waits,
// so the state copied is the latest and the marker taken off is the one
// that state carried (a write after the copy adds it again and copies
// again); on FerretDB an update is a read then an overwrite, so two
// copies into one page at once would lose one without the page's lock.
// It is idempotent: calling it again copies the same state. A post that
// does not exist is nothing to copy.
func (st *Store) CopyPostToPage(ctx context.Context, postID string) error {
	releasePost, err := st.lock(ctx, st.posts, postID)
	if err != nil {
		return err
	}
	defer releasePost()
	p, err := st.Post(ctx, postID)
	if errkind.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	entry, err := pageEntry(p)
	if err != nil {
		return err
	}
	id := postPageID(p.ThreadID, pageOf(p.Seq))
	if _, err := st.updateOne(ctx, st.pages, id, bson.M{"_id": id}, bson.M{"$set": bson.M{"posts." + strconv.Itoa(p.Seq): entry}}, upsert); err != nil {
		return database.Wrap(err, "community: copy post to page")
	}
	if !slices.Contains(p.Pending, markerPage) {
		return nil
	}
	done := bson.M{"$pull": bson.M{"pending": markerPage}}
	if len(p.Pending) == 1 { // no other work waits: the sweeper need not visit the post
		done["$unset"] = bson.M{"pendingAt": ""}
	}
	if _, err := st.posts.UpdateOne(ctx, bson.M{"_id": postID}, done); err != nil {
		return database.Wrap(err, "community: copied to page")
	}
	return nil
}

// PostPage reads the posts of a thread after the rank after, at most
// PageSize, in order, from its page documents: one store command when
// after is a multiple of PageSize (every page the service links to), two
// otherwise. count is the thread's number of posts: a page document that
// lacks a post up to count (a crash between a post's write and its copy,
// or posts written before pages existed) is rebuilt from the posts.
func (st *Store) PostPage(ctx context.Context, t *Thread, after int) ([]Post, error) {
	after = max(after, 0)
	last := after + PageSize // the last rank the page shows
	k := after / PageSize
	pages := []int{k}
	if after%PageSize != 0 && t.Posts > (k+1)*PageSize {
		pages = append(pages, k+1)
	}
	var out []Post
	for _, k := range pages {
		doc, err := st.pageDoc(ctx, postPageID(t.ID, k))
		if err != nil {
			return nil, err
		}
		for seq := max(after, k*PageSize) + 1; seq <= min(last, t.Posts, (k+1)*PageSize); seq++ {
			if _, ok := doc.Posts[strconv.Itoa(seq)]; !ok {
				if doc, err = st.rebuildPostPage(ctx, t.ID, k); err != nil {
					return nil, err
				}
				break
			}
		}
		for _, p := range doc.Posts {
			if p.Seq > after && p.Seq <= last {
				p.SpaceID = t.SpaceID
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b Post) int { return a.Seq - b.Seq })
	return out, nil
}

// pageDoc reads a page document; a missing one is empty.
func (st *Store) pageDoc(ctx context.Context, id string) (*postPageDoc, error) {
	doc, err := database.FindByID[postPageDoc](ctx, "community: post page", st.pages, id)
	if doc == nil && err == nil {
		doc = &postPageDoc{ID: id}
	}
	return doc, err
}

// rebuildPostPage copies into a thread's page k every post of its ranks,
// read from the posts collection under the page's lock (so no copy of a
// post interleaves), and returns the page. The slow path: on SQLite it
// reads every post, on PostgreSQL every post of the thread.
func (st *Store) rebuildPostPage(ctx context.Context, threadID string, k int) (*postPageDoc, error) {
	id := postPageID(threadID, k)
	release, err := st.lock(ctx, st.pages, id)
	if err != nil {
		return nil, err
	}
	defer release()
	posts, err := database.FindAll[Post](ctx, "community: posts of a page", st.posts,
		bson.M{"threadId": threadID, "seq": bson.M{"$gt": k * PageSize, "$lte": (k + 1) * PageSize}},
		options.Find().SetProjection(bson.M{"tokens": 0}))
	if err != nil {
		return nil, err
	}
	doc := &postPageDoc{ID: id, Posts: map[string]Post{}}
	if len(posts) == 0 {
		return doc, nil
	}
	set := bson.M{}
	for i := range posts {
		p := &posts[i]
		entry, err := pageEntry(p)
		if err != nil {
			return nil, err
		}
		key := strconv.Itoa(p.Seq)
		set["posts."+key] = entry
		p.Pending, p.PendingAt = nil, time.Time{}
		doc.Posts[key] = *p
	}
	if _, err := st.pages.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": set}, upsert); err != nil {
		return nil, database.Wrap(err, "community: rebuild post page")
	}
	return doc, nil
}

// deletePostPage deletes a page document (tests: a thread from before pages).
func (st *Store) deletePostPage(ctx context.Context, threadID string, k int) error {
	if _, err := st.pages.DeleteOne(ctx, bson.M{"_id": postPageID(threadID, k)}); err != nil {
		return database.Wrap(err, "community: delete post page")
	}
	return nil
}
