package embedded_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.mongodb.org/mongo-driver/v2/bson"
	_ "modernc.org/sqlite"

	"ardoise/assessments"
	"ardoise/community"
	"ardoise/internal/embedded"
	"ardoise/internal/queue"
	"ardoise/internal/testenv"
	"ardoise/internal/teststore"
	"ardoise/profile"
)

// onPostgres starts Ardoise on FerretDB over PostgreSQL (the test is
// skipped without the ARDOISE_TEST_* variables) and connects to PostgreSQL
// itself, closed when the test ends.
func onPostgres(t *testing.T) (*testenv.Env, *pgx.Conn) {
	t.Helper()
	if len(testenv.Backends()) == 1 {
		t.Skip("ARDOISE_TEST_POSTGRES_URL and ARDOISE_TEST_REDIS_URL are not set")
	}
	env := testenv.New(t, testenv.WithBackend(testenv.Postgres), testenv.WithoutServer(), testenv.WithoutWorker())
	conn, err := pgx.Connect(testenv.Ctx(t), os.Getenv("ARDOISE_TEST_POSTGRES_URL"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return env, conn
}

// pgTable is the PostgreSQL table FerretDB keeps a collection in.
func pgTable(t *testing.T, conn *pgx.Conn, schema, collection string) string {
	t.Helper()
	var table string
	q := `SELECT _jsonb->>'table' FROM ` + pgx.Identifier{schema, "_ferretdb_database_metadata"}.Sanitize() + ` WHERE _jsonb->>'_id' = $1`
	if err := conn.QueryRow(context.Background(), q, collection).Scan(&table); err != nil {
		t.Fatalf("table of %s: %v", collection, err)
	}
	return table
}

// ginScans is how many scans PostgreSQL counted on the GIN index of a
// collection's field that Ardoise made.
func ginScans(t *testing.T, conn *pgx.Conn, schema, table, field string) int64 {
	t.Helper()
	var n int64
	// The table's indexes first (materialized), then their definitions:
	// pg_indexes would read the definition of every index of the database,
	// and fail on one that a parallel test's clean-up is dropping.
	err := conn.QueryRow(context.Background(), `WITH own AS MATERIALIZED (
			SELECT indexrelid, idx_scan FROM pg_stat_user_indexes WHERE schemaname = $1 AND relname = $2)
		SELECT idx_scan FROM own WHERE pg_get_indexdef(indexrelid) LIKE '%USING gin%' AND pg_get_indexdef(indexrelid) LIKE $3`,
		schema, table, "%'"+field+"'%").Scan(&n)
	if err != nil {
		t.Fatalf("GIN index on %s.%s: %v", table, field, err)
	}
	return n
}

// TestPostgresRequestsUseGINIndexes starts Ardoise on FerretDB over
// PostgreSQL, then serves a thread page and an answer, and reads
// PostgreSQL's own counters: FerretDB's statements for them scanned the GIN
// indexes Ardoise made (the thread, its page of posts and the test, each by
// _id), and the sweeper's look-up of pending threads scanned the one on
// pending. The collections hold enough documents that a sequential scan
// would cost more.
func TestPostgresRequestsUseGINIndexes(t *testing.T) {
	env, conn := onPostgres(t)
	ctx := testenv.Ctx(t)
	schema := env.Sys.DB.Name()

	// Other people's threads and tests, so that the tables are not tiny.
	var pages, threads, tests []any
	for i := range 1500 {
		pages = append(pages, bson.M{"_id": fmt.Sprintf("th%04d:0", i), "posts": bson.M{"1": bson.M{"body": "Un message."}}})
		threads = append(threads, bson.M{"_id": fmt.Sprintf("th%04d", i), "spaceId": "parents-parents", "title": "Un fil"})
		tests = append(tests, bson.M{"_id": fmt.Sprintf("t%05d", i), "anonKey": "x", "answers": bson.A{}})
	}
	for coll, docs := range map[string][]any{community.PostPagesCollection: pages, community.ThreadsCollection: threads, assessments.TestsCollection: tests} {
		if _, err := env.Sys.DB.Collection(coll).InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}

	pagesTable := pgTable(t, conn, schema, community.PostPagesCollection)
	threadsTable := pgTable(t, conn, schema, community.ThreadsCollection)
	testsTable := pgTable(t, conn, schema, assessments.TestsCollection)
	before := [3]int64{ginScans(t, conn, schema, pagesTable, "_id"), ginScans(t, conn, schema, threadsTable, "_id"), ginScans(t, conn, schema, testsTable, "_id")}

	u := env.CreateUser(t, profile.RoleLearner)
	env.MakeTrusted(t, u, 72*time.Hour, 10)
	th, _, err := env.Sys.Community.CreateThread(ctx, u, "parents-parents", community.NewThread{Title: "Un fil mesuré", Body: "Un message."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Sys.Community.Thread(ctx, u, th.ID, 0); err != nil {
		t.Fatal(err)
	}
	o := assessments.Owner{AnonKey: "cle-de-mesure"}
	tt, err := env.Sys.Assessments.Start(ctx, o, assessments.Scope{Framework: "crcn"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Sys.Assessments.Answer(ctx, tt.ID, o, tt.Current.ChallengeID, assessments.Answer{Skipped: true}); err != nil {
		t.Fatal(err)
	}
	// The sweeper's look-up of pending threads, {pending: "list",
	// pendingAt < t}: by the GIN index on pending, not a scan of threads.
	pendingBefore := ginScans(t, conn, schema, threadsTable, "pending")
	sweeper := queue.NewSweeper(env.Sys.DB, env.Sys.Outbox, env.Sys.Claims, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Minute)
	if _, err := sweeper.SweepOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// FerretDB's connections report their statistics when they go idle.
	testenv.Eventually(t, 30*time.Second, "index scans counted", func() bool {
		return ginScans(t, conn, schema, pagesTable, "_id") > before[0] &&
			ginScans(t, conn, schema, threadsTable, "_id") > before[1] &&
			ginScans(t, conn, schema, testsTable, "_id") > before[2] &&
			ginScans(t, conn, schema, threadsTable, "pending") > pendingBefore
	})
}

// TestPostgresGINWithoutPendingList: every GIN index Ardoise made takes
// new entries directly (fastupdate off), so that no search reads a pending
// list that grows with the writes since the last vacuum; an index made
// with the list on (by an earlier version) is turned and merged by the
// next tuning.
func TestPostgresGINWithoutPendingList(t *testing.T) {
	env, conn := onPostgres(t)
	ctx := testenv.Ctx(t)
	schema := env.Sys.DB.Name()
	withList := func() int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = $1 AND a.amname = 'gin'
			AND NOT coalesce(c.reloptions @> '{fastupdate=off}', false)`, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := withList(); n != 0 {
		t.Fatalf("%d GIN indexes with a pending list after start", n)
	}
	table := pgTable(t, conn, schema, community.PostPagesCollection)
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE INDEX old_style ON %s USING gin ((_jsonb->'posts') jsonb_path_ops)`,
		pgx.Identifier{schema, table}.Sanitize())); err != nil {
		t.Fatal(err)
	}
	if n := withList(); n != 1 {
		t.Fatalf("%d GIN indexes with a pending list, want the old-style one", n)
	}
	teststore.Tune(t, teststore.Postgres, schema)
	if n := withList(); n != 0 {
		t.Fatalf("%d GIN indexes with a pending list after tuning", n)
	}
}

// TestPostgresGINNeedsCustomPlans shows why FerretDB's connections use
// plan_cache_mode=force_custom_plan: FerretDB binds the field name as a
// parameter, and a generic plan cannot match it to the index expression.
func TestPostgresGINNeedsCustomPlans(t *testing.T) {
	env, conn := onPostgres(t)
	ctx := testenv.Ctx(t)
	schema := env.Sys.DB.Name()
	table := pgx.Identifier{schema, pgTable(t, conn, schema, community.PostsCollection)}.Sanitize()
	// FerretDB's statement for find({threadId: "th1"}), as it prepares it.
	if _, err := conn.Exec(ctx, `PREPARE thread_page(text, jsonb) AS SELECT _jsonb FROM `+table+` WHERE _jsonb->$1 @> $2`); err != nil {
		t.Fatal(err)
	}
	plan := func(mode string) string {
		t.Helper()
		if _, err := conn.Exec(ctx, "SET enable_seqscan = off; SET plan_cache_mode = "+mode); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, `EXPLAIN EXECUTE thread_page('threadId', '"th1"')`)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(lines, "\n")
	}
	if p := plan("force_custom_plan"); !strings.Contains(p, "Bitmap Index Scan") || !strings.Contains(p, "_ardoise_") {
		t.Errorf("with custom plans, the thread page does not use Ardoise's GIN index:\n%s", p)
	}
	if p := plan("force_generic_plan"); strings.Contains(p, "_ardoise_") {
		t.Errorf("with a generic plan the index was used: the custom-plan setting would not be needed:\n%s", p)
	}
}

// TestSQLiteIDLookupUsesIndex: on SQLite, the statement FerretDB pushes
// findOne({_id}) down to uses the _id expression index Ardoise made, where
// FerretDB's own unique index is on another expression.
func TestSQLiteIDLookupUsesIndex(t *testing.T) {
	env := testenv.New(t, testenv.WithoutServer(), testenv.WithoutWorker())
	ctx := testenv.Ctx(t)
	db, err := sql.Open("sqlite", "file:"+teststore.Server(t, teststore.SQLite).SQLiteFile(env.Sys.DB.Name())+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, coll := range []string{assessments.TestsCollection, community.ThreadsCollection, profile.UsersCollection} {
		var table string
		if err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
			t.Fatalf("table of %s: %v", coll, err)
		}
		// FerretDB's statement for findOne({_id}) (its backends/sqlite/collection.go).
		rows, err := db.QueryContext(ctx, fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, table, embedded.SQLiteIDExpr), "x")
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "USING INDEX") || !strings.Contains(p, "_ardoise_") {
			t.Errorf("%s: findOne({_id}) does not use the _id expression index: %s", coll, p)
		}
	}
}
