package queue_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/embedded"
	"ardoise/internal/queue"
	"ardoise/internal/teststore"
)

// TestSweeperEnqueuesOldMarkers runs the sweeper over a real store: a
// fresh marker is left to its task on the way, old ones are enqueued once
// (a second sweep adds no task), a document found by a family's name is
// enqueued its family's marker, a document left with only a family's name
// loses it and its pendingAt, one without markers is not visited, and an
// unknown marker is reported without holding up the others.
func TestSweeperEnqueuesOldMarkers(t *testing.T) {
	teststore.ForEach(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		o, insp, names := newOutbox(t)
		now := time.Now().UTC()
		old := now.Add(-2 * time.Minute)
		docs := []any{
			bson.M{"_id": "p-fresh", "pending": bson.A{"notify"}, "pendingAt": now},
			bson.M{"_id": "p-old", "pending": bson.A{"notify"}, "pendingAt": old},
			bson.M{"_id": "p-done", "pending": bson.A{}, "pendingAt": old},
			bson.M{"_id": "p-none", "title": "sans marqueur"},
		}
		if _, err := db.Collection("posts").InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Collection("users").InsertMany(ctx, []any{
			bson.M{"_id": "u1", "pending": bson.A{"reset:7", "reset:", "unknown"}, "pendingAt": old},
			bson.M{"_id": "u2", "pending": bson.A{"reset:"}, "pendingAt": old},
		}); err != nil {
			t.Fatal(err)
		}
		sw := queue.NewSweeper(db, o, newClaims(t), slog.New(slog.NewTextHandler(io.Discard, nil)), time.Minute)
		n, err := sw.SweepOnce(ctx)
		if err == nil {
			t.Error("an unknown marker was swept without an error")
		}
		if n != 2 {
			t.Errorf("swept %d markers, want 2 (p-old's notify, u1's reset:7)", n)
		}
		if got, want := pendingIDs(t, insp, names.Of(queue.Default)), []string{"t:notify:p-old"}; !slices.Equal(got, want) {
			t.Errorf("default queue holds %q, want %q", got, want)
		}
		if got, want := pendingIDs(t, insp, names.Of(queue.Critical)), []string{"t:mail:u1:reset:7"}; !slices.Equal(got, want) {
			t.Errorf("critical queue holds %q, want %q", got, want)
		}
		for id, want := range map[string]bool{"p-done": true, "u2": false} {
			var doc bson.M
			coll := map[bool]string{true: "posts", false: "users"}[id == "p-done"]
			if err := db.Collection(coll).FindOne(ctx, bson.M{"_id": id}).Decode(&doc); err != nil {
				t.Fatal(err)
			}
			if _, ok := doc["pendingAt"]; ok != want {
				t.Errorf("%s keeps its pendingAt: %v, want %v (%v)", id, ok, want, doc)
			}
			if id == "u2" && doc["pending"] != nil && len(doc["pending"].(bson.A)) != 0 {
				t.Errorf("u2 keeps its family's name: %v", doc["pending"])
			}
		}
		// p-old was swept: the next sweep waits another minute for it.
		// u1 was not, for its unknown marker: it is swept again, and its
		// reset task, still queued, is not duplicated.
		if n, _ := sw.SweepOnce(ctx); n != 1 {
			t.Errorf("second sweep enqueued %d markers, want 1 (u1's reset:7 again)", n)
		}
		if got := pendingIDs(t, insp, names.Of(queue.Default)); len(got) != 1 {
			t.Errorf("default queue after two sweeps: %q", got)
		}
		if got := pendingIDs(t, insp, names.Of(queue.Critical)); len(got) != 1 {
			t.Errorf("critical queue after two sweeps: %q", got)
		}
	})
}

// newClaims returns document locks on an embedded Redis of their own.
func newClaims(t *testing.T) *claim.Claims {
	t.Helper()
	r, err := embedded.StartRedis("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	opt, err := redis.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return claim.New(rdb, "t:claim:")
}
