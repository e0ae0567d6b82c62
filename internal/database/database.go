// Package database connects to the MongoDB-compatible store (MongoDB, or
// FerretDB over SQLite or PostgreSQL) and counts the commands each request sends.
package database

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// DefaultName is the database used when the URI names none.
const DefaultName = "ardoise"

// DB is a connected database and the client that owns it.
type DB struct {
	*mongo.Database
	client *mongo.Client
	total  atomic.Int64
}

// Connect opens a client on uri and checks that the server answers.
// The database is the one in the URI path, or DefaultName.
func Connect(ctx context.Context, uri, name string) (*DB, error) {
	if name == "" {
		cs, err := connstring.ParseAndValidate(uri)
		if err != nil {
			return nil, fmt.Errorf("database: invalid URI: %w", err)
		}
		name = cs.Database
		if name == "" {
			name = DefaultName
		}
	}
	db := &DB{}
	monitor := &event.CommandMonitor{
		Started: func(ctx context.Context, _ *event.CommandStartedEvent) {
			db.total.Add(1)
			if c, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
				c.Add(1)
			}
		},
	}
	opts := options.Client().ApplyURI(uri).
		SetMonitor(monitor).
		SetServerSelectionTimeout(10 * time.Second).
		SetConnectTimeout(10 * time.Second)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("database: connect: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("database: ping: %w", err)
	}
	db.client = client
	db.Database = client.Database(name)
	return db, nil
}

// Close disconnects the client.
func (db *DB) Close(ctx context.Context) error {
	return db.client.Disconnect(ctx)
}

// Ping checks that the store answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.client.Ping(ctx, nil)
}

// Commands is the number of commands sent since Connect.
func (db *DB) Commands() int64 { return db.total.Load() }

type counterKey struct{}

// WithCounter returns a context whose store commands are counted in the
// returned counter, so a request can log (and a test assert) what it cost.
func WithCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	c := new(atomic.Int64)
	return context.WithValue(ctx, counterKey{}, c), c
}

// Index describes one index to create at start-up.
type Index struct {
	Collection string
	Keys       []string // field names, ascending; a leading "-" means descending
	Unique     bool
	Sparse     bool
}

// EnsureIndexes creates the collections and indexes, so that they all exist
// before the app serves. FerretDB only enforces uniqueness with them; MongoDB
// also answers queries with them.
func (db *DB) EnsureIndexes(ctx context.Context, indexes []Index) error {
	existing, err := db.ListCollectionNames(ctx, map[string]any{})
	if err != nil {
		return fmt.Errorf("database: list collections: %w", err)
	}
	have := map[string]bool{}
	for _, n := range existing {
		have[n] = true
	}
	for _, ix := range indexes {
		if !have[ix.Collection] {
			if err := db.CreateCollection(ctx, ix.Collection); err != nil && !isNamespaceExists(err) {
				return fmt.Errorf("database: create collection %s: %w", ix.Collection, err)
			}
			have[ix.Collection] = true
		}
		if len(ix.Keys) == 0 {
			continue
		}
		keys := make([]keyValue, 0, len(ix.Keys))
		name := ""
		for _, k := range ix.Keys {
			dir := 1
			if strings.HasPrefix(k, "-") {
				dir, k = -1, k[1:]
			}
			keys = append(keys, keyValue{k, dir})
			name += fmt.Sprintf("%s_%d_", k, dir)
		}
		model := mongo.IndexModel{Keys: toD(keys), Options: options.Index().SetName(strings.TrimSuffix(name, "_"))}
		if ix.Unique {
			model.Options.SetUnique(true)
		}
		if ix.Sparse {
			model.Options.SetSparse(true)
		}
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, model); err != nil {
			return fmt.Errorf("database: index %s on %s: %w", name, ix.Collection, err)
		}
	}
	return nil
}

func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 48 || ce.Name == "NamespaceExists")
}

// IsDuplicate reports whether err is a duplicate-key error. Only inserts and
// upsert-inserts report it reliably on FerretDB, so uniqueness is claimed by insert.
func IsDuplicate(err error) bool {
	return mongo.IsDuplicateKeyError(err)
}

type keyValue struct {
	key string
	dir int
}

func toD(kv []keyValue) bson.D {
	d := make(bson.D, 0, len(kv))
	for _, e := range kv {
		d = append(d, bson.E{Key: e.key, Value: e.dir})
	}
	return d
}
