package community

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
	"ardoise/internal/markdown"
)

// InsertPost stores a new post, which carries the page marker (newPost):
// CopyPostToPage follows. The error is the driver's, unwrapped, so that a
// caller claiming a rank can tell a duplicate (database.IsDuplicate).
func (st *Store) InsertPost(ctx context.Context, p *Post) error {
	_, err := st.posts.InsertOne(ctx, p)
	return err
}

// Post reads a post.
func (st *Store) Post(ctx context.Context, id string) (*Post, error) {
	var p Post
	if err := st.posts.FindOne(ctx, bson.M{"_id": id}).Decode(&p); err != nil {
		return nil, database.Wrap(err, "community: post")
	}
	return &p, nil
}

// PostAuthorName reads the name a post is signed with now.
func (st *Store) PostAuthorName(ctx context.Context, id string) (string, error) {
	var p Post
	if err := st.posts.FindOne(ctx, bson.M{"_id": id}, options.FindOne().SetProjection(bson.M{"authorName": 1})).Decode(&p); err != nil {
		return "", database.Wrap(err, "community: post")
	}
	return p.AuthorName, nil
}

// toPage adds to a post's update the outbox marker of its page copy: the
// change and the marker are written together, so a crash before
// CopyPostToPage leaves the marker for the sweeper.
func toPage(update bson.M) bson.M { return marked(update, markerPage) }

// marked adds an outbox marker to an update: the marker in `pending`,
// the time in `pendingAt`.
func marked(update bson.M, marker string) bson.M {
	set, _ := update["$set"].(bson.M)
	if set == nil {
		set = bson.M{}
		update["$set"] = set
	}
	set["pendingAt"] = time.Now().UTC()
	update["$addToSet"] = bson.M{"pending": marker}
	return update
}

// PostsByID reads the posts ids names.
func (st *Store) PostsByID(ctx context.Context, ids []string) ([]Post, error) {
	return database.FindAll[Post](ctx, "community: flagged posts", st.posts, bson.M{"_id": bson.M{"$in": ids}})
}

// PostEdit is a post's new text, as Store.EditPost writes it.
type PostEdit struct {
	Source, HTML string
	Tokens       []string
	Edits        []Edit // the earlier versions kept, whole
	At           time.Time
}

// EditPost replaces a post's text if its source is still was; it reports
// whether it was (false: changed meanwhile). Locked; marks the page copy.
func (st *Store) EditPost(ctx context.Context, id, was string, e PostEdit) (bool, error) {
	res, err := st.updateOne(ctx, st.posts, id, bson.M{"_id": id, "source": was}, toPage(bson.M{
		"$set": bson.M{"source": e.Source, "html": e.HTML, "policyVersion": markdown.PolicyVersion, "editedAt": e.At, "tokens": e.Tokens,
			"edits": e.Edits},
	}))
	if err != nil {
		return false, database.Wrap(err, "community: edit")
	}
	return res.MatchedCount > 0, nil
}

// ErasePostText is the author's soft delete: the post is marked deleted,
// its text, tokens and history erased. Locked; marks the page copy.
func (st *Store) ErasePostText(ctx context.Context, id string) error {
	if _, err := st.updateOne(ctx, st.posts, id, bson.M{"_id": id}, toPage(bson.M{
		"$set":   bson.M{"deleted": true, "source": "", "html": "", "tokens": []string{}},
		"$unset": bson.M{"edits": ""},
	})); err != nil {
		return database.Wrap(err, "community: delete")
	}
	return nil
}

// SetPostHidden hides or restores a post. Locked; marks the page copy.
func (st *Store) SetPostHidden(ctx context.Context, id string, hidden bool) error {
	if _, err := st.updateOne(ctx, st.posts, id, bson.M{"_id": id}, toPage(bson.M{"$set": bson.M{"hidden": hidden}})); err != nil {
		return database.Wrap(err, "community: hide")
	}
	return nil
}

// IncReaction moves a post's count of one kind of reaction by inc.
// Locked; marks the page copy.
func (st *Store) IncReaction(ctx context.Context, postID, kind string, inc int) error {
	if _, err := st.updateOne(ctx, st.posts, postID, bson.M{"_id": postID}, toPage(bson.M{"$inc": bson.M{"reactions." + kind: inc}})); err != nil {
		return database.Wrap(err, "community: count reaction")
	}
	return nil
}

// ClearPostMarker takes a done task's marker off a post. Locked.
func (st *Store) ClearPostMarker(ctx context.Context, postID, marker string) error {
	if _, err := st.updateOne(ctx, st.posts, postID, bson.M{"_id": postID}, bson.M{"$pull": bson.M{"pending": marker}}); err != nil {
		return database.Wrap(err, "community: notified")
	}
	return nil
}

// MovePosts moves a thread's posts to a space. Pages keep no space (a
// page's posts take the thread's), so no page changes.
func (st *Store) MovePosts(ctx context.Context, threadID, spaceID string) error {
	if _, err := st.posts.UpdateMany(ctx, bson.M{"threadId": threadID}, bson.M{"$set": bson.M{"spaceId": spaceID}}); err != nil {
		return database.Wrap(err, "community: move posts")
	}
	return nil
}

// PostsToRerender lists (id and source) the posts not deleted whose HTML
// an older Markdown policy rendered.
func (st *Store) PostsToRerender(ctx context.Context) ([]Post, error) {
	return database.FindAll[Post](ctx, "community: posts to re-render", st.posts,
		bson.M{"policyVersion": bson.M{"$ne": markdown.PolicyVersion}, "deleted": false},
		options.Find().SetProjection(bson.M{"source": 1}))
}

// SetRendered stores a post's HTML under the current policy if its source
// is still source. Locked; marks the page copy.
func (st *Store) SetRendered(ctx context.Context, id, source, html string) error {
	if _, err := st.updateOne(ctx, st.posts, id, bson.M{"_id": id, "source": source},
		toPage(bson.M{"$set": bson.M{"html": html, "policyVersion": markdown.PolicyVersion}})); err != nil {
		return database.Wrap(err, "community: re-render")
	}
	return nil
}

// SearchSpace finds a page (limit, by descending id after after) of the
// visible posts of one space holding every word.
func (st *Store) SearchSpace(ctx context.Context, words []string, spaceID, after string, limit int) ([]Post, error) {
	return st.search(ctx, words, spaceID, after, limit)
}

// SearchSpaces finds a page (limit, by descending id after after) of the
// visible posts of the spaces ids holding every word.
func (st *Store) SearchSpaces(ctx context.Context, words, spaceIDs []string, after string, limit int) ([]Post, error) {
	return st.search(ctx, words, bson.M{"$in": spaceIDs}, after, limit)
}

func (st *Store) search(ctx context.Context, words []string, spaces any, after string, limit int) ([]Post, error) {
	f := bson.M{"tokens": bson.M{"$all": words}, "hidden": false, "deleted": false, "spaceId": spaces}
	if after != "" {
		f["_id"] = bson.M{"$lt": after}
	}
	return database.FindAll[Post](ctx, "community: search", st.posts, f,
		options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit)).SetProjection(bson.M{"tokens": 0, "edits": 0}))
}
