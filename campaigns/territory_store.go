package campaigns

import (
	"context"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"ardoise/internal/claim"
	"ardoise/internal/database"
)

// Collections of the territory counters.
const (
	// TerritoryCountersCollection holds one counter per (school year, circonscription).
	TerritoryCountersCollection = "territory_counters"
	// PeopleCollection holds each person's state per school year, by
	// schoolYear|userId: where their row is, and the tests already counted.
	PeopleCollection = "territory_people"
	// SnapshotsCollection holds the dashboards' daily snapshots, one per
	// (school year, inspection scope), by ScopeKey.
	SnapshotsCollection = "territory_snapshots"
)

// TerritoryIndexes are the territory collections (every read by a request
// is by _id; the daily snapshot and the rebuild read by school year).
var TerritoryIndexes = []database.Index{
	{Collection: TerritoryCountersCollection, Keys: []string{"schoolYear"}},
	{Collection: PeopleCollection, Keys: []string{"schoolYear"}},
	{Collection: SnapshotsCollection, Keys: []string{"schoolYear"}},
}

// territoryLockTTL bounds how long a crashed writer keeps a counter or a person locked.
const territoryLockTTL = 30 * time.Second

// TerritoryStore reads and writes the territory counters and snapshots.
type TerritoryStore struct {
	counters, people, snapshots *mongo.Collection
	locks                       *claim.Claims
}

// NewTerritoryStore returns the store on db; locks serialize the writers
// of one counter or one person (FerretDB runs $inc and $set as a read and
// an overwrite, so every counter update is a read by _id and a ReplaceOne
// under the document's lock).
func NewTerritoryStore(db *database.DB, locks *claim.Claims) *TerritoryStore {
	return &TerritoryStore{counters: db.Collection(TerritoryCountersCollection), people: db.Collection(PeopleCollection),
		snapshots: db.Collection(SnapshotsCollection), locks: locks}
}

func (s *TerritoryStore) lockPerson(ctx context.Context, id string) (func(), error) {
	return s.locks.Lock(ctx, PeopleCollection+":"+id, territoryLockTTL)
}

func (s *TerritoryStore) person(ctx context.Context, id string) (*person, error) {
	return database.FindByID[person](ctx, "territory: person", s.people, id)
}

func (s *TerritoryStore) putPerson(ctx context.Context, p *person) error {
	if _, err := s.people.ReplaceOne(ctx, bson.M{"_id": p.ID}, p, upsert()); err != nil {
		return database.Wrap(err, "territory: person")
	}
	return nil
}

// Counter reads a counter by key (nil when there is none).
func (s *TerritoryStore) Counter(ctx context.Context, key string) (*Counter, error) {
	return database.FindByID[Counter](ctx, "territory: counter", s.counters, key)
}

// updateCounter applies change to counter key under its lock: one read by
// _id, then one ReplaceOne. A new counter takes the school year and
// territory of p.
func (s *TerritoryStore) updateCounter(ctx context.Context, key string, p *person, change func(c *Counter) bool) error {
	release, err := s.locks.Lock(ctx, TerritoryCountersCollection+":"+key, territoryLockTTL)
	if err != nil {
		return err
	}
	defer release()
	c, err := s.Counter(ctx, key)
	if err != nil {
		return err
	}
	if c == nil {
		c = &Counter{ID: key, SchoolYear: p.SchoolYear, Territory: p.Territory, People: []PersonRow{}}
	}
	if !change(c) {
		return nil
	}
	if _, err := s.counters.ReplaceOne(ctx, bson.M{"_id": key}, c, upsert()); err != nil {
		return database.Wrap(err, "territory: counter")
	}
	return nil
}

// putRow sets p's row in the counter p.Key (idempotent).
func (s *TerritoryStore) putRow(ctx context.Context, p *person) error {
	return s.updateCounter(ctx, p.Key, p, func(c *Counter) bool {
		i, found := slices.BinarySearchFunc(c.People, p.Row.UserID, func(r PersonRow, id string) int { return strings.Compare(r.UserID, id) })
		if found {
			c.People[i] = p.Row
		} else {
			c.People = slices.Insert(c.People, i, p.Row)
		}
		return true
	})
}

// dropRow removes userID's row from counter key, if it is there (idempotent).
func (s *TerritoryStore) dropRow(ctx context.Context, key string, p *person) error {
	return s.updateCounter(ctx, key, p, func(c *Counter) bool {
		i, found := slices.BinarySearchFunc(c.People, p.Row.UserID, func(r PersonRow, id string) int { return strings.Compare(r.UserID, id) })
		if !found {
			return false
		}
		c.People = slices.Delete(c.People, i, i+1)
		return true
	})
}

// eachCounter calls fn with every counter of a school year.
func (s *TerritoryStore) eachCounter(ctx context.Context, year string, fn func(*Counter) error) error {
	return database.Each(ctx, "territory: counters", s.counters, bson.M{"schoolYear": year}, fn)
}

// Counters returns every counter of a school year, by _id.
func (s *TerritoryStore) Counters(ctx context.Context, year string) ([]Counter, error) {
	var out []Counter
	err := s.eachCounter(ctx, year, func(c *Counter) error {
		if len(c.People) > 0 {
			out = append(out, *c)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Counter) int { return strings.Compare(a.ID, b.ID) })
	return out, err
}

// replaceYear replaces the counters and people of a school year with
// those given (the rebuild).
func (s *TerritoryStore) replaceYear(ctx context.Context, year string, people []person, counters []Counter) error {
	for _, coll := range []*mongo.Collection{s.counters, s.people} {
		if _, err := coll.DeleteMany(ctx, bson.M{"schoolYear": year}); err != nil {
			return database.Wrap(err, "territory: clear year")
		}
	}
	for i := range people {
		if err := s.putPerson(ctx, &people[i]); err != nil {
			return err
		}
	}
	for i := range counters {
		if _, err := s.counters.ReplaceOne(ctx, bson.M{"_id": counters[i].ID}, &counters[i], upsert()); err != nil {
			return database.Wrap(err, "territory: counter")
		}
	}
	return nil
}

// Snapshot reads the snapshot of a scope (nil when there is none).
func (s *TerritoryStore) Snapshot(ctx context.Context, key string) (*Snapshot, error) {
	return database.FindByID[Snapshot](ctx, "territory: snapshot", s.snapshots, key)
}

// putSnapshots writes the snapshots of a school year and deletes the
// year's snapshots older than takenAt (scopes nobody is counted in any more).
func (s *TerritoryStore) putSnapshots(ctx context.Context, year string, snaps []*Snapshot, takenAt time.Time) error {
	for _, sn := range snaps {
		if _, err := s.snapshots.ReplaceOne(ctx, bson.M{"_id": sn.ID}, sn, upsert()); err != nil {
			return database.Wrap(err, "territory: snapshot")
		}
	}
	if _, err := s.snapshots.DeleteMany(ctx, bson.M{"schoolYear": year, "takenAt": bson.M{"$lt": takenAt}}); err != nil {
		return database.Wrap(err, "territory: old snapshots")
	}
	return nil
}
