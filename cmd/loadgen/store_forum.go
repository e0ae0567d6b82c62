package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// prefillForum inserts threads of postsPerThread posts into the parents'
// space until it holds n threads, and returns the forum.
func prefillForum(uri string, n, postsPerThread int) (*forum, error) {
	client, threads, err := connect(uri, threadsCollection)
	if err != nil {
		return nil, err
	}
	defer client.Disconnect(context.Background())
	posts := threads.Database().Collection(postsCollection)
	ctx := context.Background()
	have, err := threads.CountDocuments(ctx, bson.M{"spaceId": forumSpace, "title": bson.M{"$regex": "^Charge "}})
	if err != nil {
		return nil, err
	}
	start := time.Now().UTC().Add(-time.Duration(n) * time.Minute)
	body := strings.Repeat("Un message de charge avec du **texte** et un [lien](https://eduscol.education.fr). ", 5)
	for i := int(have); i < n; i++ {
		id := fmt.Sprintf("charge%08d", i)
		last := start.Add(time.Duration(i) * time.Minute)
		docs := make([]any, 0, postsPerThread)
		for j := 1; j <= postsPerThread; j++ {
			docs = append(docs, bson.M{"_id": fmt.Sprintf("%s.%06d", id, j), "threadId": id, "spaceId": forumSpace, "seq": j,
				"authorId": "charge", "authorName": "Parent de charge", "authorHandle": "charge", "source": body,
				"html": "<p>" + body + "</p>", "policyVersion": "ardoise-ugc-2", "deleted": false, "hidden": false,
				"tokens": bson.A{"charge", "message", "texte", "lien"}, "createdAt": last})
		}
		if _, err := posts.InsertMany(ctx, docs); err != nil {
			return nil, err
		}
		if _, err := threads.InsertOne(ctx, bson.M{"_id": id, "spaceId": forumSpace, "title": fmt.Sprintf("Charge %d", i),
			"authorId": "charge", "authorName": "Parent de charge", "question": false, "pinned": false, "locked": false,
			"posts": postsPerThread, "views": 0, "lastPostAt": last, "sortKey": forumSortKey(last, id), "createdAt": last}); err != nil {
			return nil, err
		}
		if (i+1)%500 == 0 {
			fmt.Printf("  %d threads, %d posts\n", i+1, (i+1)*postsPerThread)
		}
	}
	f := &forum{posts: postsPerThread}
	cur, err := threads.Find(ctx, bson.M{"spaceId": forumSpace, "title": bson.M{"$regex": "^Charge "}},
		options.Find().SetProjection(bson.M{"sortKey": 1}))
	if err != nil {
		return nil, err
	}
	var ts []struct {
		ID      string `bson:"_id"`
		SortKey string `bson:"sortKey"`
	}
	if err := cur.All(ctx, &ts); err != nil {
		return nil, err
	}
	for _, t := range ts {
		f.threads = append(f.threads, t.ID)
		f.sortKeys = append(f.sortKeys, t.SortKey)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(f.sortKeys)))
	return f, nil
}

// rawForum does to the store what the pages do, without Ardoise.
type rawForum struct {
	client         *mongo.Client
	threads, posts *mongo.Collection
	f              *forum
	rng            *rand.Rand
	mu             sync.Mutex
}

// newRawForum connects to the store the forum was prefilled in.
func newRawForum(uri string, f *forum) (*rawForum, error) {
	client, tc, err := connect(uri, threadsCollection)
	if err != nil {
		return nil, err
	}
	return &rawForum{client: client, threads: tc, posts: tc.Database().Collection(postsCollection), f: f, rng: rand.New(rand.NewPCG(9, 9))}, nil
}

func (r *rawForum) close() { _ = r.client.Disconnect(context.Background()) }

func (r *rawForum) pick() (string, bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	after := ""
	if r.rng.IntN(2) == 0 {
		after = r.f.sortKeys[r.rng.IntN(len(r.f.sortKeys))]
	}
	return r.f.threads[r.rng.IntN(len(r.f.threads))], r.rng.IntN(2) == 0, after
}

// threadPage: the thread by _id, a page of its posts by (threadId, seq), the view counted.
func (r *rawForum) threadPage(int) error {
	ctx := context.Background()
	id, first, _ := r.pick()
	after := 0
	if !first {
		after = r.f.posts - forumPageSize
	}
	if err := r.threads.FindOne(ctx, bson.M{"_id": id}).Err(); err != nil {
		return err
	}
	cur, err := r.posts.Find(ctx, bson.M{"threadId": id, "seq": bson.M{"$gt": after}},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}).SetLimit(forumPageSize+1).SetProjection(bson.M{"tokens": 0}))
	if err != nil {
		return err
	}
	var docs []bson.M
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	_, err = r.threads.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$inc": bson.M{"views": 1}})
	return err
}

// spaceList: a page of threads by (spaceId, sortKey).
func (r *rawForum) spaceList(int) error {
	ctx := context.Background()
	_, _, after := r.pick()
	f := bson.M{"spaceId": forumSpace}
	if after != "" {
		f["sortKey"] = bson.M{"$lt": after}
	}
	cur, err := r.threads.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "sortKey", Value: -1}}).SetLimit(forumPageSize+1))
	if err != nil {
		return err
	}
	var docs []bson.M
	return cur.All(ctx, &docs)
}
