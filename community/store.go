package community

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Store reads and writes the communities' collections: spaces, threads,
// posts, members' standing, subscriptions and notifications, flags, the
// moderation log, reactions, images, the pages of threads and the lists of
// spaces' threads. Every query and update of the
// package is one of its methods; the services hold no collection.
type Store struct {
	spaces, threads, posts, flags, log, members *mongo.Collection
	subs, notes, images, reactions, pages       *mongo.Collection
	lists                                       *mongo.Collection
	claims                                      *claim.Claims
	listPageSize                                int // threads arriving in one list page
}

// NewStore returns the store on db; claims lock the documents whose
// updates must not interleave (see updateOne).
func NewStore(db *database.DB, claims *claim.Claims) *Store {
	return &Store{
		spaces: db.Collection(SpacesCollection), threads: db.Collection(ThreadsCollection), posts: db.Collection(PostsCollection),
		flags: db.Collection(FlagsCollection), log: db.Collection(ModerationCollection), members: db.Collection(MembersCollection),
		subs: db.Collection(SubscriptionsCollection), notes: db.Collection(NotificationsCollection),
		images: db.Collection(ImagesCollection), reactions: db.Collection(ReactionsCollection), pages: db.Collection(PostPagesCollection),
		lists:  db.Collection(ThreadListsCollection),
		claims: claims, listPageSize: ListPageSize,
	}
}

var upsert = options.UpdateOne().SetUpsert(true)

// updateOne updates one document under a lock on it: on FerretDB two
// updates of one document at once may each overwrite the other's (an
// update is a read then a write there), which would lose a lock, a pin, an
// accepted answer or a count. The lock serializes the writers, in every process.
func (st *Store) updateOne(ctx context.Context, c *mongo.Collection, id string, filter, update bson.M,
	opts ...options.Lister[options.UpdateOneOptions]) (*mongo.UpdateResult, error) {
	release, err := st.lock(ctx, c, id)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.UpdateOne(ctx, filter, update, opts...)
}

// lock takes the lock updateOne takes on a document of c.
func (st *Store) lock(ctx context.Context, c *mongo.Collection, id string) (func(), error) {
	return st.claims.Lock(ctx, c.Name()+":"+id, 5*time.Second)
}
