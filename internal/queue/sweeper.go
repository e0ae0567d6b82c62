package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Sweeper re-enqueues pending markers older than Age: the store is the source
// of truth, the queue only delivers, so losing Redis loses no work.
//
// It finds the pending documents by equality on each marker,
// {pending: <marker>, pendingAt < t}: FerretDB pushes the equality down
// (a GIN index on PostgreSQL, from the declared {pending, pendingAt}
// index) and filters the time in Go over the few documents still pending,
// where a range alone would read the whole collection every sweep.
type Sweeper struct {
	db     *database.DB
	outbox *Outbox
	locks  *claim.Claims
	age    time.Duration
	logger *slog.Logger
	now    func() time.Time
}

// DefaultSweepAge is how old a marker must be before the sweeper re-enqueues it.
const DefaultSweepAge = time.Minute

// NewSweeper returns a sweeper over the collections of the outbox's
// markers; locks hold when each document was last swept, and lock the
// few documents it writes (on FerretDB an update is a read then an
// overwrite: the sweeper's must not undo a domain's write).
func NewSweeper(db *database.DB, o *Outbox, locks *claim.Claims, logger *slog.Logger, age time.Duration) *Sweeper {
	return &Sweeper{db: db, outbox: o, locks: locks, age: age, logger: logger, now: func() time.Time { return time.Now().UTC() }}
}

type pendingDoc struct {
	ID        string    `bson:"_id"`
	Pending   []string  `bson:"pending"`
	PendingAt time.Time `bson:"pendingAt"`
}

// sweepBatch bounds one sweep per marker; the next sweep takes the rest.
const sweepBatch = 500

// SweepOnce re-enqueues every marker older than the age and returns how many
// it enqueued. A document left with only the names of families loses them
// and its pendingAt.
func (s *Sweeper) SweepOnce(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.age)
	total := 0
	var errs []error
	for _, name := range s.outbox.Collections() {
		coll := s.db.Collection(name)
		seen := map[string]bool{}
		for _, m := range s.outbox.markersOf(name) {
			docs, err := database.FindAll[pendingDoc](ctx, "sweeper: "+name, coll,
				bson.M{"pending": m.Name, "pendingAt": bson.M{"$lt": cutoff}},
				options.Find().SetProjection(bson.M{"pending": 1, "pendingAt": 1}).SetLimit(sweepBatch))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, d := range docs {
				if seen[d.ID] {
					continue
				}
				seen[d.ID] = true
				n, err := s.sweepDoc(ctx, coll, d)
				total += n
				if err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	if total > 0 {
		s.logger.Info("sweeper re-enqueued pending work", "tasks", total)
	}
	return total, errors.Join(errs...)
}

// sweepDoc enqueues a document's markers, at most once an age: a claim
// in Redis ("sweep:<collection>:<id>", for the age) stands for the time it
// was swept, so the sweeper never writes a document its domain may be
// writing. A document left with only families' names loses them and its
// pendingAt, under the lock its domain's writers take
// ("<collection>:<id>"), on the condition of the pendingAt read.
func (s *Sweeper) sweepDoc(ctx context.Context, coll *mongo.Collection, d pendingDoc) (int, error) {
	var markers, names []string
	for _, m := range d.Pending {
		if s.outbox.isFamilyName(coll.Name(), m) {
			names = append(names, m)
		} else {
			markers = append(markers, m)
		}
	}
	if len(markers) == 0 {
		return 0, s.clearNames(ctx, coll, d, names)
	}
	key := "sweep:" + coll.Name() + ":" + d.ID
	if ok, err := s.locks.Take(ctx, key, max(s.age, time.Second)); err != nil || !ok {
		return 0, err // swept less than an age ago
	}
	var errs []error
	enqueued := 0
	for _, m := range markers {
		if err := s.outbox.Enqueue(ctx, coll.Name(), d.ID, m); err != nil {
			errs = append(errs, err)
			continue
		}
		enqueued++
	}
	if len(errs) > 0 { // the next sweep tries again
		errs = append(errs, s.locks.Release(ctx, key))
	}
	return enqueued, errors.Join(errs...)
}

// clearNames takes the families' names and pendingAt off a document
// whose markers are all done.
func (s *Sweeper) clearNames(ctx context.Context, coll *mongo.Collection, d pendingDoc, names []string) error {
	release, err := s.locks.Lock(ctx, coll.Name()+":"+d.ID, 5*time.Second)
	if err != nil {
		return err
	}
	defer release()
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": d.ID, "pendingAt": d.PendingAt},
		bson.M{"$pullAll": bson.M{"pending": names}, "$unset": bson.M{"pendingAt": ""}}); err != nil {
		return fmt.Errorf("sweeper: %s %s: %w", coll.Name(), d.ID, err)
	}
	return nil
}

// Run sweeps every interval until ctx ends.
func (s *Sweeper) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.SweepOnce(ctx); err != nil && ctx.Err() == nil {
				s.logger.Warn("sweep", "err", err)
			}
		}
	}
}
