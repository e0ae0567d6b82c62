package embedded

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // FerretDB's own SQLite driver, registered as "sqlite"
)

// FerretDB 1.24 pushes a filter down to its backend only in a few shapes,
// and the indexes it creates cannot serve them (measured in issue 12):
//
//   - On PostgreSQL an equality on a field becomes `_jsonb->'field' @> $2`
//     (`_jsonb#>'{a,b}' @> $2` for a dotted path), which a btree index on
//     the same expression cannot answer. A GIN index on the expression can,
//     provided the planner sees the field name: FerretDB binds it as a
//     parameter of a prepared statement, so its connections must use
//     plan_cache_mode=force_custom_plan (WithCustomPlans).
//   - On SQLite only an exact `{_id: <string or ObjectID>}` is pushed down,
//     as `_ferretdb_sjson->'$._id' = ?`, while FerretDB's unique index is on
//     `_ferretdb_sjson->"_id"`, another expression: it is never used.
//
// Tune creates the indexes those shapes can use. FerretDB 1.24 is the last
// of its line, so its table layout (`_ferretdb_database_metadata` in each
// PostgreSQL schema, `_ferretdb_collections` in each SQLite file) will not
// move; tests prove with EXPLAIN that the indexes are used.

// PostgreSQL: per collection, a GIN index on `_id` and on the leading field of
// every index FerretDB holds for it (the field an equality selects on).
// SQLite: per collection, an index on the `_id` expression of the pushdown.

// WithCustomPlans returns a PostgreSQL URL whose connections plan every
// statement with its parameters' values (plan_cache_mode=force_custom_plan),
// so that FerretDB's parameterized field names can use expression indexes.
// A plan_cache_mode already in the URL is kept.
func WithCustomPlans(pgURL string) (string, error) {
	u, err := url.Parse(pgURL)
	if err != nil {
		return "", fmt.Errorf("embedded store: PostgreSQL URL: %w", err)
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Tune creates, idempotently, the indexes FerretDB's pushdown can use in
// the named databases, or in every database when none is named. Indexes
// already there are not touched, so a pass costs a few catalog reads.
func (s *Store) Tune(ctx context.Context, databases ...string) (created int, err error) {
	if s.pgURL != "" {
		return tunePostgres(ctx, s.pgURL, databases)
	}
	return tuneSQLite(ctx, s.sqliteDir, databases)
}

// tuneIndexName is a PostgreSQL or SQLite identifier of at most 63 bytes,
// unique for (table, expression).
func tuneIndexName(table, expr string) string {
	h := sha256.Sum256([]byte(expr))
	if len(table) > 40 {
		table = table[:40]
	}
	return table + "_ardoise_" + hex.EncodeToString(h[:6])
}

// PGFieldExpr is the expression FerretDB's PostgreSQL pushdown selects a
// field with: `_jsonb->'f'`, or `_jsonb#>'{a,b}'` for a dotted path.
func PGFieldExpr(field string) string {
	if strings.Contains(field, ".") {
		parts := strings.Split(field, ".")
		for i, p := range parts {
			parts[i] = `"` + strings.ReplaceAll(strings.ReplaceAll(p, `\`, `\\`), `"`, `\"`) + `"`
		}
		return "(_jsonb #> " + pgLiteral("{"+strings.Join(parts, ",")+"}") + "::text[])"
	}
	return "(_jsonb -> " + pgLiteral(field) + "::text)"
}

func pgLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// pgCollection is a row of FerretDB's metadata table: the collection, its
// table, and its indexes' keys in order (read from sjson's schema, since
// jsonb does not keep the order of an object's keys).
type pgCollection struct {
	Name   string `json:"_id"`
	Table  string `json:"table"`
	Schema struct {
		P struct {
			Indexes struct {
				I []struct {
					S struct {
						P struct {
							Key struct {
								S struct {
									K []string `json:"$k"`
								} `json:"$s"`
							} `json:"key"`
						} `json:"p"`
					} `json:"$s"`
				} `json:"i"`
			} `json:"indexes"`
		} `json:"p"`
	} `json:"$s"`
}

// equalityFields are `_id` and the leading field of each index.
func (c pgCollection) equalityFields() []string {
	fields := []string{"_id"}
	for _, ix := range c.Schema.P.Indexes.I {
		if k := ix.S.P.Key.S.K; len(k) > 0 && !slices.Contains(fields, k[0]) {
			fields = append(fields, k[0])
		}
	}
	return fields
}

func tunePostgres(ctx context.Context, pgURL string, databases []string) (int, error) {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return 0, fmt.Errorf("embedded store: tune: %w", err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT table_schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'`)
	if err != nil {
		return 0, fmt.Errorf("embedded store: tune: %w", err)
	}
	existing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("embedded store: tune: %w", err)
	}
	if len(databases) == 0 {
		databases = existing
	}
	created := 0
	var errs []error
	for _, db := range databases {
		if !slices.Contains(existing, db) {
			continue // no collection yet: the next pass takes it
		}
		n, err := tunePostgresSchema(ctx, conn, db)
		created += n
		if err != nil {
			errs = append(errs, fmt.Errorf("embedded store: tune %s: %w", db, err))
		}
	}
	return created, errors.Join(errs...)
}

func tunePostgresSchema(ctx context.Context, conn *pgx.Conn, schema string) (int, error) {
	rows, err := conn.Query(ctx, `SELECT _jsonb::text FROM `+pgx.Identifier{schema, "_ferretdb_database_metadata"}.Sanitize())
	if err != nil {
		return 0, err
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	rows, err = conn.Query(ctx, `SELECT indexname FROM pg_indexes WHERE schemaname = $1`, schema)
	if err != nil {
		return 0, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	existing := map[string]bool{}
	for _, n := range names {
		existing[n] = true
	}
	created := 0
	for _, raw := range raws {
		var c pgCollection
		if err := json.Unmarshal([]byte(raw), &c); err != nil || c.Table == "" {
			return created, fmt.Errorf("metadata row %.80q: %v", raw, err)
		}
		for _, f := range c.equalityFields() {
			expr := PGFieldExpr(f)
			name := tuneIndexName(c.Table, expr)
			if existing[name] {
				continue
			}
			q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)`,
				pgx.Identifier{name}.Sanitize(), pgx.Identifier{schema, c.Table}.Sanitize(), expr)
			if _, err := conn.Exec(ctx, q); err != nil {
				return created, fmt.Errorf("%s.%s: %w", c.Name, f, err)
			}
			existing[name] = true
			created++
		}
	}
	return created, pgGINDirect(ctx, conn, schema)
}

// pgGINDirect turns off the pending list of the GIN indexes of schema that
// still have it (those made before Ardoise created them without it), then
// merges what the list holds. With the list on, a GIN index takes new
// entries into an unsorted pending list that every search reads whole
// until a vacuum merges it: after a bulk load, or under steady writes, a
// lookup by _id then costs milliseconds that grow with the writes since
// the last vacuum. Without it, each insert updates the index itself.
func pgGINDirect(ctx context.Context, conn *pgx.Conn, schema string) error {
	rows, err := conn.Query(ctx, `SELECT c.relname FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
		WHERE n.nspname = $1 AND a.amname = 'gin' AND NOT coalesce(c.reloptions @> '{fastupdate=off}', false)`, schema)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range names {
		ident := pgx.Identifier{schema, name}.Sanitize()
		if _, err := conn.Exec(ctx, `ALTER INDEX `+ident+` SET (fastupdate = off)`); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if _, err := conn.Exec(ctx, `SELECT gin_clean_pending_list($1::regclass)`, ident); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// SQLiteIDExpr is the expression FerretDB's SQLite pushdown selects `_id` with.
const SQLiteIDExpr = `_ferretdb_sjson->'$._id'`

func tuneSQLite(ctx context.Context, dir string, databases []string) (int, error) {
	var files []string
	if len(databases) == 0 {
		var err error
		if files, err = filepath.Glob(filepath.Join(dir, "*.sqlite")); err != nil {
			return 0, err
		}
	}
	for _, db := range databases {
		files = append(files, filepath.Join(dir, db+".sqlite"))
	}
	created := 0
	var errs []error
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			continue // not created yet: the next pass takes it
		}
		n, err := tuneSQLiteFile(ctx, f)
		created += n
		if err != nil {
			errs = append(errs, fmt.Errorf("embedded store: tune %s: %w", filepath.Base(f), err))
		}
	}
	return created, errors.Join(errs...)
}

func tuneSQLiteFile(ctx context.Context, file string) (int, error) {
	// The same pragmas as FerretDB's own connections: wait for its writers.
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	tables, err := queryStrings(ctx, db, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return 0, err
	}
	names, err := queryStrings(ctx, db, `SELECT name FROM sqlite_master WHERE type = 'index'`)
	if err != nil {
		return 0, err
	}
	created := 0
	for _, t := range tables {
		name := tuneIndexName(t, SQLiteIDExpr)
		if slices.Contains(names, name) {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, name, t, SQLiteIDExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return created, fmt.Errorf("%s: %w", t, err)
		}
		created++
	}
	return created, nil
}

func queryStrings(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
