package queue_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/database"
	"ardoise/internal/queue"
	"ardoise/internal/teststore"
)

// TestSweeperEnqueuesOldMarkers runs the sweeper over a real store: a
// fresh marker is left to its task on the way, old ones are enqueued once
// (a second sweep adds no task), a document whose markers are all done
// loses its pendingAt, and an unknown marker is reported without holding
// up the others.
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
		if _, err := db.Collection("users").InsertOne(ctx, bson.M{"_id": "u1", "pending": bson.A{"reset:7", "unknown"}, "pendingAt": old}); err != nil {
			t.Fatal(err)
		}
		sw := queue.NewSweeper(db, o, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Minute)
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
		var done bson.M
		if err := db.Collection("posts").FindOne(ctx, bson.M{"_id": "p-done"}).Decode(&done); err != nil {
			t.Fatal(err)
		}
		if _, ok := done["pendingAt"]; ok {
			t.Errorf("a document with no marker left keeps its pendingAt: %v", done)
		}
		// p-old was re-stamped: the next sweep waits another minute for it.
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
