package queue

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/hibiken/asynq"

	"ardoise/internal/database"
)

// Marker declares one kind of a domain's pending work: the outbox pattern.
// The update that changes a document's state also adds the marker to the
// document's `pending` array and sets `pendingAt`; the domain then calls
// Outbox.After, and the sweeper enqueues again any marker left older than
// its age. The task's handler clears the marker when the work is done.
type Marker struct {
	// Collection holds the documents that carry the marker.
	Collection string
	// Name is the marker. A Name ending in ":" is a family ("verify-email:"):
	// every marker with that prefix is its own task.
	Name string
	// Priority is the queue the task goes to.
	Priority Priority
	// Task builds the task of a document's marker from the document's id.
	Task func(docID, marker string) (*asynq.Task, error)
}

func (m Marker) family() bool { return strings.HasSuffix(m.Name, ":") }

func (m Marker) matches(marker string) bool {
	if m.family() {
		return strings.HasPrefix(marker, m.Name) && len(marker) > len(m.Name)
	}
	return marker == m.Name
}

// TaskID is the asynq id of a document's marker task: at most one such
// task is queued (or kept after completion) at a time.
func TaskID(taskType, docID, marker string, family bool) string {
	if family {
		return taskType + ":" + docID + ":" + marker
	}
	return taskType + ":" + docID
}

// Outbox is the registry of every domain's markers. It enqueues the task of
// a marker, and from it come the sweeper's sources and the pendingAt indexes.
type Outbox struct {
	client  *Client
	markers []Marker
	logger  *slog.Logger
}

// NewOutbox registers the markers each domain declares. A marker declared
// twice, or one without a task, is a programming error: NewOutbox panics.
func NewOutbox(c *Client, logger *slog.Logger, domains ...[]Marker) *Outbox {
	o := &Outbox{client: c, logger: logger}
	for _, ms := range domains {
		for _, m := range ms {
			if m.Collection == "" || m.Name == "" || m.Task == nil {
				panic(fmt.Sprintf("queue: incomplete marker %+v", m))
			}
			for _, prev := range o.markers {
				if prev.Collection == m.Collection && (prev.matches(m.Name) || m.matches(prev.Name) || prev.Name == m.Name) {
					panic(fmt.Sprintf("queue: marker %s/%s registered twice", m.Collection, m.Name))
				}
			}
			o.markers = append(o.markers, m)
		}
	}
	return o
}

// Client returns the queue client the outbox enqueues with.
func (o *Outbox) Client() *Client { return o.client }

// Enqueue enqueues the task of a document's marker. A marker no domain
// registered is an error.
func (o *Outbox) Enqueue(ctx context.Context, collection, docID, marker string) error {
	for _, m := range o.markers {
		if m.Collection != collection || !m.matches(marker) {
			continue
		}
		t, err := m.Task(docID, marker)
		if err != nil {
			return fmt.Errorf("queue: task of %s/%s %s: %w", collection, marker, docID, err)
		}
		return o.client.Enqueue(ctx, t, TaskID(t.Type(), docID, marker, m.family()), m.Priority)
	}
	return fmt.Errorf("queue: no marker %q registered on %s", marker, collection)
}

// After enqueues the task of a marker right after the write that recorded
// it. A failure is only logged: the marker is in the store, so the sweeper
// will enqueue it again.
func (o *Outbox) After(ctx context.Context, collection, docID, marker string) {
	if err := o.Enqueue(ctx, collection, docID, marker); err != nil {
		o.logger.Warn("enqueue after write failed; the sweeper will retry",
			"collection", collection, "id", docID, "marker", marker, "err", err)
	}
}

// Collections lists the collections whose documents carry markers.
func (o *Outbox) Collections() []string { return collectionsOf(o.markers) }

func collectionsOf(markers []Marker) []string {
	var out []string
	for _, m := range markers {
		if !slices.Contains(out, m.Collection) {
			out = append(out, m.Collection)
		}
	}
	return out
}

// markersOf lists the markers registered on a collection.
func (o *Outbox) markersOf(collection string) []Marker {
	var out []Marker
	for _, m := range o.markers {
		if m.Collection == collection {
			out = append(out, m)
		}
	}
	return out
}

// isFamilyName says whether a pending entry is the bare name of a family
// of markers ("verify-email:"). The write that adds a marker of a family
// adds the family's name too, so that the sweeper finds the document by
// equality (which the store can index, where a prefix is not).
func (o *Outbox) isFamilyName(collection, entry string) bool {
	return slices.ContainsFunc(o.markersOf(collection), func(m Marker) bool { return m.family() && m.Name == entry })
}

// PendingIndexes returns the index the sweeper's queries need on every
// collection that carries markers: {pending: <marker>, pendingAt < t}.
func PendingIndexes(domains ...[]Marker) []database.Index {
	var out []database.Index
	for _, c := range collectionsOf(slices.Concat(domains...)) {
		out = append(out, database.Index{Collection: c, Keys: []string{"pending", "pendingAt"}, Sparse: true})
	}
	return out
}
