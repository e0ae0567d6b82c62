package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Sweeper re-enqueues pending markers older than Age: the store is the source
// of truth, the queue only delivers, so losing Redis loses no work.
type Sweeper struct {
	db     *database.DB
	outbox *Outbox
	age    time.Duration
	logger *slog.Logger
	now    func() time.Time
}

// DefaultSweepAge is how old a marker must be before the sweeper re-enqueues it.
const DefaultSweepAge = time.Minute

// NewSweeper returns a sweeper over the collections of the outbox's markers.
func NewSweeper(db *database.DB, o *Outbox, logger *slog.Logger, age time.Duration) *Sweeper {
	return &Sweeper{db: db, outbox: o, age: age, logger: logger, now: func() time.Time { return time.Now().UTC() }}
}

type pendingDoc struct {
	ID        string    `bson:"_id"`
	Pending   []string  `bson:"pending"`
	PendingAt time.Time `bson:"pendingAt"`
}

// sweepBatch bounds one sweep per source; the next sweep takes the rest.
const sweepBatch = 500

// SweepOnce re-enqueues every marker older than the age and returns how many
// it enqueued. Documents whose markers are all done lose their pendingAt.
func (s *Sweeper) SweepOnce(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.age)
	total := 0
	var errs []error
	for _, name := range s.outbox.Collections() {
		coll := s.db.Collection(name)
		cur, err := coll.Find(ctx, bson.M{"pendingAt": bson.M{"$lt": cutoff}},
			options.Find().SetProjection(bson.M{"pending": 1, "pendingAt": 1}).SetLimit(sweepBatch))
		if err != nil {
			errs = append(errs, fmt.Errorf("sweeper: %s: %w", name, err))
			continue
		}
		var docs []pendingDoc
		if err := cur.All(ctx, &docs); err != nil {
			errs = append(errs, fmt.Errorf("sweeper: %s: %w", name, err))
			continue
		}
		for _, d := range docs {
			if len(d.Pending) == 0 {
				_, err := coll.UpdateOne(ctx, bson.M{"_id": d.ID, "pendingAt": d.PendingAt,
					"$or": bson.A{bson.M{"pending": bson.M{"$size": 0}}, bson.M{"pending": bson.M{"$exists": false}}}},
					bson.M{"$unset": bson.M{"pendingAt": ""}})
				if err != nil {
					errs = append(errs, err)
				}
				continue
			}
			ok := true
			for _, m := range d.Pending {
				if err := s.outbox.Enqueue(ctx, name, d.ID, m); err != nil {
					errs = append(errs, err)
					ok = false
					continue
				}
				total++
			}
			if ok {
				// The next sweep waits another Age before trying these markers again.
				if _, err := coll.UpdateOne(ctx, bson.M{"_id": d.ID, "pendingAt": d.PendingAt},
					bson.M{"$set": bson.M{"pendingAt": s.now()}}); err != nil {
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
