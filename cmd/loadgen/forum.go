package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The forum's collections and the public space the load reads, as in community/.
const (
	threadsCollection = "threads"
	postsCollection   = "posts"
	forumSpace        = "parents-parents"
	forumPageSize     = 20
)

// forum is the prefilled forum: its threads' ids and sort keys, and how
// many posts each holds.
type forum struct {
	threads  []string
	sortKeys []string // descending, as the space lists them
	posts    int
}

func forumSortKey(last time.Time, id string) string {
	return fmt.Sprintf("0%019d%s", last.UnixNano(), id)
}

// readers are signed-in people reading the forum through the API.
type readers struct {
	p      *pool
	tokens []string
	f      *forum
	rng    *rand.Rand
	mu     sync.Mutex
	tally  tally
}

func newReaders(url, uri string, n int, f *forum) (*readers, error) {
	r := &readers{p: newPool(url, n), f: f, rng: rand.New(rand.NewPCG(7, 7))}
	run := time.Now().UnixNano()
	for i := 0; i < n; i++ {
		tok, err := r.p.register(run, i)
		if err != nil {
			return nil, err
		}
		r.tokens = append(r.tokens, tok)
	}
	// Posting needs a verified address; trust needs age and posts: the
	// load's accounts get both in the store, before they make a request.
	ctx := context.Background()
	if err := verifyAccounts(ctx, uri, run, n, bson.M{"createdAt": time.Now().Add(-72 * time.Hour)}); err != nil {
		return nil, err
	}
	var ids []string
	for _, tok := range r.tokens {
		var me struct{ ID string }
		if code, _, err := r.p.do(tok, "GET", "/api/v1/me", nil, &me); err != nil || code != 200 {
			return nil, fmt.Errorf("me: %d %v", code, err)
		}
		ids = append(ids, me.ID)
	}
	client, members, err := connect(uri, "community_members")
	if err != nil {
		return nil, err
	}
	defer client.Disconnect(ctx)
	for _, id := range ids {
		if _, err := members.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"posts": 20}}, options.UpdateOne().SetUpsert(true)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *readers) pick() (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.threads[r.rng.IntN(len(r.f.threads))], r.rng.IntN(2) == 0
}

func (r *readers) get(kind string, w int, path string) error {
	return r.p.measured(&r.tally, kind, r.tokens[w], "GET", path, nil)
}

// threadPage reads a random thread's first or last page.
func (r *readers) threadPage(w int) error {
	id, first := r.pick()
	path := "/api/v1/threads/" + id
	if !first {
		path += fmt.Sprintf("?after=%d", r.f.posts-forumPageSize)
	}
	return r.get("thread", w, path)
}

// spaceList reads the space's first page or a page deep in it.
func (r *readers) spaceList(w int) error {
	r.mu.Lock()
	after := ""
	if r.rng.IntN(2) == 0 {
		after = r.f.sortKeys[r.rng.IntN(len(r.f.sortKeys))]
	}
	r.mu.Unlock()
	return r.get("space", w, "/api/v1/spaces/"+forumSpace+"/threads?after="+after)
}

// post replies in a random thread (each account posts at most once in 10 s).
func (r *readers) post(w int) error {
	id, _ := r.pick()
	code, raw, err := r.p.do(r.tokens[w], "POST", "/api/v1/threads/"+id+"/posts", map[string]string{"body": fmt.Sprintf("Réponse de charge %d à %d", w, time.Now().UnixNano())}, nil)
	if err != nil {
		return err
	}
	if code != 201 {
		return fmt.Errorf("post: %d %s", code, raw)
	}
	return nil
}

// runForum measures thread pages, space lists and posting at each rate,
// each next to the raw store doing the same commands.
func runForum(url, uri string, n int, rates []int, d time.Duration, threads, postsPerThread int, skipRaw bool) {
	if uri == "" {
		fail("--scenario forum needs --mongodb-uri (to prefill the forum)")
	}
	f, err := prefillForum(uri, threads, postsPerThread)
	if err != nil {
		fail("prefill: %v", err)
	}
	fmt.Printf("forum holds %d threads of %d posts in %s\n", len(f.threads), f.posts, forumSpace)
	r, err := newReaders(url, uri, n, f)
	if err != nil {
		fail("readers: %v", err)
	}
	raw, err := newRawForum(uri, f)
	if err != nil {
		fail("raw store: %v", err)
	}
	defer raw.close()
	fmt.Printf("%d readers; %s per run, open loop\n\n", n, d)
	fmt.Printf("%-10s %8s %8s %8s %8s %9s %9s %9s\n", "target", "offered", "ok", "errors", "missed", "rate/s", "p50 ms", "p99 ms")
	for _, rate := range rates {
		runOpenLoop(rate, d, n, r.threadPage).print("thread pages, store commands " + r.tally.seen("thread"))
		if !skipRaw {
			runOpenLoop(rate, d, n, raw.threadPage).print("raw store, thread page's 3 commands")
		}
		runOpenLoop(rate, d, n, r.spaceList).print("space lists, store commands " + r.tally.seen("space"))
		if !skipRaw {
			runOpenLoop(rate, d, n, raw.spaceList).print("raw store, space list's command")
		}
	}
	runOpenLoop(n/10, d, n, r.post).print(fmt.Sprintf("posts (%d accounts, one post per 10 s each)", n))
}
