package queue_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"ardoise/internal/embedded"
	"ardoise/internal/queue"
)

func docTask(typ string) func(id, marker string) (*asynq.Task, error) {
	return func(id, marker string) (*asynq.Task, error) {
		p, err := json.Marshal(map[string]string{"id": id, "m": marker})
		return asynq.NewTask(typ, p), err
	}
}

// testMarkers are two domains' markers: one exact marker, one family.
var testMarkers = [][]queue.Marker{
	{{Collection: "posts", Name: "notify", Priority: queue.Default, Task: docTask("t:notify")}},
	{
		{Collection: "users", Name: "welcome", Priority: queue.Default, Task: docTask("t:mail")},
		{Collection: "users", Name: "reset:", Priority: queue.Critical, Task: docTask("t:mail")},
	},
}

func newOutbox(t *testing.T) (*queue.Outbox, *asynq.Inspector, queue.Names) {
	t.Helper()
	r, err := embedded.StartRedis("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	opt, err := asynq.ParseRedisURI(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := asynq.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	insp := asynq.NewInspector(opt)
	t.Cleanup(func() { insp.Close() })
	names := queue.Names{Prefix: "t:"}
	return queue.NewOutbox(queue.NewClient(c, names), slog.New(slog.NewTextHandler(io.Discard, nil)), testMarkers...), insp, names
}

func pendingIDs(t *testing.T, insp *asynq.Inspector, q string) []string {
	t.Helper()
	list, err := insp.ListPendingTasks(q)
	if err != nil && !strings.Contains(err.Error(), "does not exist") {
		t.Fatal(err)
	}
	var ids []string
	for _, ti := range list {
		ids = append(ids, ti.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestOutboxEnqueuesOnceAMarker: enqueueing a marker twice leaves exactly
// one task, under the id derived from the document (and the marker, in a
// family), on the marker's priority queue.
func TestOutboxEnqueuesOnceAMarker(t *testing.T) {
	o, insp, names := newOutbox(t)
	ctx := context.Background()
	for range 2 {
		for _, e := range [][3]string{{"posts", "p1", "notify"}, {"users", "u1", "welcome"}, {"users", "u1", "reset:1"}, {"users", "u1", "reset:2"}} {
			if err := o.Enqueue(ctx, e[0], e[1], e[2]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, want := pendingIDs(t, insp, names.Of(queue.Default)), []string{"t:mail:u1", "t:notify:p1"}; !slices.Equal(got, want) {
		t.Errorf("default queue holds %q, want %q", got, want)
	}
	if got, want := pendingIDs(t, insp, names.Of(queue.Critical)), []string{"t:mail:u1:reset:1", "t:mail:u1:reset:2"}; !slices.Equal(got, want) {
		t.Errorf("critical queue holds %q, want %q", got, want)
	}
}

// TestOutboxRefusesUnknownMarkers: a marker nobody registered, or one
// registered on another collection, is an error, not a silent drop.
func TestOutboxRefusesUnknownMarkers(t *testing.T) {
	o, _, _ := newOutbox(t)
	for _, e := range [][3]string{{"posts", "p1", "welcome"}, {"users", "u1", "reset:"}, {"users", "u1", "notify"}, {"nowhere", "x", "notify"}} {
		if err := o.Enqueue(context.Background(), e[0], e[1], e[2]); err == nil {
			t.Errorf("marker %q on %s enqueued", e[2], e[0])
		}
	}
}

// TestOutboxRejectsDuplicateMarkers: two domains registering the same
// marker on one collection is caught at start-up.
func TestOutboxRejectsDuplicateMarkers(t *testing.T) {
	for name, dup := range map[string]queue.Marker{
		"same name":        {Collection: "posts", Name: "notify", Task: docTask("x")},
		"inside a family":  {Collection: "users", Name: "reset:now", Task: docTask("x")},
		"without its task": {Collection: "other", Name: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			queue.NewOutbox(nil, nil, append(slices.Clone(testMarkers), []queue.Marker{dup})...)
		})
	}
}

// TestPendingIndexes: one sparse {pending, pendingAt} index a collection,
// however many markers it carries.
func TestPendingIndexes(t *testing.T) {
	ix := queue.PendingIndexes(testMarkers...)
	if len(ix) != 2 || ix[0].Collection != "posts" || ix[1].Collection != "users" || !ix[1].Sparse || !slices.Equal(ix[1].Keys, []string{"pending", "pendingAt"}) {
		t.Errorf("indexes: %+v", ix)
	}
}
