// Package community holds the learning communities: spaces (per module,
// per territory, thematic, parents), threads and posts in Markdown,
// questions with an accepted answer, flags and moderation. Every query is
// an equality on an indexed key plus a range on an indexed sort key, and
// counters are kept by $inc, so that pages cost a small constant number of
// store commands whatever the size of a forum.
package community

import (
	"time"

	"ardoise/internal/database"
	"ardoise/profile"
)

// Collections owned by this package.
const (
	SpacesCollection     = "spaces"
	ThreadsCollection    = "threads"
	PostsCollection      = "posts"
	FlagsCollection      = "flags"
	ModerationCollection = "moderation_log"
	MembersCollection    = "community_members"
	// SubscriptionsCollection: who follows which space or thread.
	SubscriptionsCollection = "subscriptions"
	// NotificationsCollection: in-app notifications, one per (post, person).
	NotificationsCollection = "notifications"
	// PostPagesCollection: a copy of each thread's posts, PageSize a
	// document, _id "<threadId>:<page>", so that a page is read by _id
	// (store_pages.go).
	PostPagesCollection = "post_pages"
)

// Indexes are the indexes the community's queries rely on.
var Indexes = []database.Index{
	{Collection: SpacesCollection, Keys: []string{"kind", "ref"}, Unique: true},
	{Collection: ThreadsCollection, Keys: []string{"spaceId", "-sortKey"}},
	{Collection: ThreadsCollection, Keys: []string{"authorId", "-createdAt"}},
	{Collection: PostsCollection, Keys: []string{"threadId", "seq"}, Unique: true},
	{Collection: PostsCollection, Keys: []string{"spaceId", "tokens", "-_id"}},
	{Collection: PostsCollection, Keys: []string{"authorId", "-createdAt"}},
	{Collection: FlagsCollection, Keys: []string{"spaceId", "open", "-createdAt"}},
	{Collection: ModerationCollection, Keys: []string{"-at"}},
	{Collection: ModerationCollection, Keys: []string{"spaceId", "-at"}},
	{Collection: SubscriptionsCollection, Keys: []string{"target", "userId"}},
	{Collection: SubscriptionsCollection, Keys: []string{"userId", "-createdAt"}},
	{Collection: NotificationsCollection, Keys: []string{"userId", "-createdAt"}},
	{Collection: NotificationsCollection, Keys: []string{"userId", "digested"}},
	{Collection: MembersCollection, Keys: []string{"digest"}},
	{Collection: ImagesCollection},
	{Collection: ReactionsCollection, Keys: []string{"userId"}},
	{Collection: PostsCollection, Keys: []string{"policyVersion"}},
	// The académie requests moderators list (profile.SpaceRequests).
	{Collection: profile.UsersCollection, Keys: []string{"spaceRequest"}, Sparse: true},
	// A person's flags, images and moderation actions, for their RGPD export and erasure.
	{Collection: FlagsCollection, Keys: []string{"byId"}},
	{Collection: ImagesCollection, Keys: []string{"ownerId"}},
	{Collection: ModerationCollection, Keys: []string{"by", "-at"}},
	// Pages are read and written by _id only.
	{Collection: PostPagesCollection},
	{Collection: NotificationPagesCollection},
	{Collection: ThreadListsCollection},
}

// Kinds of space.
const (
	KindModule      = "module"      // one per published module; members: its enrolled learners
	KindAcademie    = "academie"    // one per académie; members: its teachers
	KindDepartement = "departement" // one per département; members: its teachers
	KindTheme       = "theme"       // created by trainers or admins
	KindParents     = "parents"     // the parents' space
)

// Visibility of a space.
const (
	Public  = "public"  // every signed-in person reads it (and may post)
	Members = "members" // only its members; others get 404, so it does not leak
)

// Space is a forum.
type Space struct {
	ID         string `bson:"_id" json:"id"`
	Kind       string `bson:"kind" json:"kind"`
	Ref        string `bson:"ref" json:"-"` // module slug, académie code, département number, theme slug
	Title      string `bson:"title" json:"title"`
	Summary    string `bson:"summary" json:"summary,omitempty"`
	Visibility string `bson:"visibility" json:"visibility"`
	// Moderators are the people who moderate it besides admins: a module's
	// owners, a theme's creator, those admins appoint to an académie or
	// département space.
	Moderators []string `bson:"moderators" json:"-"`
	// Members are the people a members-only theme admits (its moderators add them).
	Members   []string  `bson:"members,omitempty" json:"-"`
	Silenced  []Silence `bson:"silenced" json:"-"`
	Threads   int       `bson:"threads" json:"threads"`
	CreatedAt time.Time `bson:"createdAt" json:"-"`
}

// Silence keeps a member from posting in a space until a date.
type Silence struct {
	UserID string    `bson:"userId"`
	Until  time.Time `bson:"until"`
	Reason string    `bson:"reason"`
}

// SilencedUntil returns until when a person is silenced in the space (zero if not).
func (s *Space) SilencedUntil(userID string, now time.Time) time.Time {
	for _, x := range s.Silenced {
		if x.UserID == userID && x.Until.After(now) {
			return x.Until
		}
	}
	return time.Time{}
}

// Thread is a discussion in a space; a question when Question is set.
type Thread struct {
	ID         string `bson:"_id" json:"id"`
	SpaceID    string `bson:"spaceId" json:"spaceId"`
	Title      string `bson:"title" json:"title"`
	AuthorID   string `bson:"authorId" json:"-"`
	AuthorName string `bson:"authorName" json:"author"`
	Question   bool   `bson:"question" json:"question"`
	Accepted   string `bson:"accepted,omitempty" json:"accepted,omitempty"` // the accepted answer's post id
	// AcceptedAuthorID is the accepted answer's author, whose count of
	// accepted answers moves when another answer is accepted.
	AcceptedAuthorID string    `bson:"acceptedAuthorId,omitempty" json:"-"`
	Pinned           bool      `bson:"pinned" json:"pinned"`
	Locked           bool      `bson:"locked" json:"locked"`
	Posts            int       `bson:"posts" json:"posts"` // first post included
	Views            int       `bson:"views" json:"views"`
	LastPostAt       time.Time `bson:"lastPostAt" json:"lastPostAt"`
	// SortKey orders a space's threads: pinned first, then by last post;
	// lists page by a range on it, never by skip.
	SortKey   string    `bson:"sortKey" json:"-"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	// ListPage and ListKey are where the thread's copy is in its space's
	// list (store_thread_lists.go) and the list key it was copied with.
	ListPage string `bson:"listPage,omitempty" json:"-"`
	ListKey  string `bson:"listKey,omitempty" json:"-"`
	// Pending and PendingAt are the outbox's: the copy into the list.
	Pending   []string  `bson:"pending,omitempty" json:"-"`
	PendingAt time.Time `bson:"pendingAt,omitempty" json:"-"`
}

// Answered reports whether a question has an accepted answer.
func (t *Thread) Answered() bool { return t.Accepted != "" }

// Post is a message of a thread. The Markdown source is kept for editing;
// HTML is the sanitized rendering, stored with the policy that made it.
type Post struct {
	ID            string    `bson:"_id" json:"id"` // threadId.seq, claimed by insert
	ThreadID      string    `bson:"threadId" json:"threadId"`
	SpaceID       string    `bson:"spaceId" json:"-"`
	Seq           int       `bson:"seq" json:"seq"`
	AuthorID      string    `bson:"authorId" json:"-"`
	AuthorName    string    `bson:"authorName" json:"author"`
	AuthorHandle  string    `bson:"authorHandle" json:"authorHandle"`
	Source        string    `bson:"source" json:"-"`
	HTML          string    `bson:"html" json:"html"`
	PolicyVersion string    `bson:"policyVersion" json:"-"`
	Edits         []Edit    `bson:"edits,omitempty" json:"-"`
	EditedAt      time.Time `bson:"editedAt,omitempty" json:"editedAt,omitzero"`
	Deleted       bool      `bson:"deleted" json:"deleted"`
	Hidden        bool      `bson:"hidden" json:"hidden"`
	Tokens        []string  `bson:"tokens" json:"-"`
	// Reactions counts each reaction of the fixed set, by $inc.
	Reactions map[string]int `bson:"reactions,omitempty" json:"reactions,omitempty"`
	CreatedAt time.Time      `bson:"createdAt" json:"createdAt"`
	// Pending holds the post's follow-up (notifying subscribers and the
	// people mentioned) until the worker has done it.
	Pending   []string  `bson:"pending,omitempty" json:"-"`
	PendingAt time.Time `bson:"pendingAt,omitempty" json:"-"`
}

// Edit is an earlier version of a post, kept for moderators.
type Edit struct {
	At     time.Time `bson:"at"`
	Source string    `bson:"source"`
}

// Flag is a member's report of a post.
type Flag struct {
	ID         string    `bson:"_id"`
	SpaceID    string    `bson:"spaceId"`
	PostID     string    `bson:"postId"`
	ThreadID   string    `bson:"threadId"`
	ByID       string    `bson:"byId"`
	ByName     string    `bson:"byName"`
	Reason     string    `bson:"reason"`
	Open       bool      `bson:"open"`
	CreatedAt  time.Time `bson:"createdAt"`
	ResolvedBy string    `bson:"resolvedBy,omitempty"`
}

// Action is one moderation action, logged: who, when, what, why.
type Action struct {
	ID      string    `bson:"_id"`
	At      time.Time `bson:"at"`
	SpaceID string    `bson:"spaceId"`
	By      string    `bson:"by"`
	ByName  string    `bson:"byName"`
	What    string    `bson:"what"` // hide, restore, lock, unlock, pin, unpin, move, silence, create-space
	Target  string    `bson:"target"`
	Reason  string    `bson:"reason"`
}

// Member is a person's standing in the communities, kept by $inc, and
// their digest preference.
type Member struct {
	ID       string `bson:"_id"` // user id
	Posts    int    `bson:"posts"`
	Accepted int    `bson:"accepted"`
	Unread   int    `bson:"unread"`
	// Digest is how notifications are emailed: immediate, daily (the
	// default), weekly or none.
	Digest string `bson:"digest,omitempty"`
}

// Digest frequencies.
const (
	DigestImmediate = "immediate"
	DigestDaily     = "daily"
	DigestWeekly    = "weekly"
	DigestNone      = "none"
)

// Subscription is a person following a space (new threads) or a thread (replies).
type Subscription struct {
	ID        string    `bson:"_id"` // userId|target
	UserID    string    `bson:"userId"`
	Target    string    `bson:"target"` // "space:<id>" or "thread:<id>"
	CreatedAt time.Time `bson:"createdAt"`
}

// Notification tells a person about a post: a reply in a thread they
// follow, a new thread in a space they follow, or a mention.
type Notification struct {
	ID        string    `bson:"_id" json:"id"` // postId|userId: one per post and person
	UserID    string    `bson:"userId" json:"-"`
	Kind      string    `bson:"kind" json:"kind"` // reply, thread, mention
	PostID    string    `bson:"postId" json:"postId"`
	ThreadID  string    `bson:"threadId" json:"threadId"`
	Title     string    `bson:"title" json:"title"`
	ByName    string    `bson:"byName" json:"by"`
	Read      bool      `bson:"read" json:"read"`
	Digested  bool      `bson:"digested" json:"-"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
}
