package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"ardoise/internal/boot"
	"ardoise/internal/embedded"
	"ardoise/profile"
)

// The scale scenario: for each size, a fresh Ardoise on a fresh database
// of the chosen backend, its large collections prefilled to that size with
// uneven groups, then each hot request measured through HTTP, one at a time.
//
//	go run ./cmd/loadgen --scenario scale --backend sqlite|postgres --sizes 10000,100000 --json [--untuned]
//
// PostgreSQL is the database of ARDOISE_POSTGRES_URL; Redis is REDIS_URL
// when set, else an in-process miniredis. With --untuned every size is run
// a second time on a FerretDB without Ardoise's indexes and without custom
// plans (internal/embedded/tune.go), and its figures sit next to the tuned
// ones under "untuned". On PostgreSQL the prefilled tables are analyzed
// before measuring, as autovacuum would have done on a production server.

// scaleOptions are the scale scenario's flags.
type scaleOptions struct {
	backend  string
	sizes    []int
	json     bool
	untuned  bool
	requests int           // measured requests per kind
	budget   time.Duration // per kind: stop early past it (see scaleMeasure.run)
	// minRequests is the fewest requests a kind is measured with once past
	// budget (3 once past three times the budget).
	minRequests int
	kinds       []string // the kinds measured, in scaleKinds' order
	// readers, when not zero, read thread pages at once for readFor after
	// the kinds are measured (the throughput of thread pages).
	readers int
	readFor time.Duration
	// allCollections prefills every large collection whatever the kinds.
	allCollections bool
}

// scaleFigures are one kind of request's figures at one size.
type scaleFigures struct {
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Commands int     `json:"commands"` // median store commands per request (X-Store-Commands)
	// CommandsMax is the most store commands a request cost.
	CommandsMax int `json:"commands_max"`
	N           int `json:"n"` // requests measured
	Errors      int `json:"errors,omitempty"`
}

// scaleGroups are the sizes of the biggest groups the pages were read from.
type scaleGroups struct {
	BigThreadPosts     int `json:"big_thread_posts"`
	BigSpaceThreads    int `json:"big_space_threads"`
	BigAcademieLines   int `json:"big_academie_lines"`
	LearnerNotes       int `json:"learner_notifications"`
	PrefillSeconds     int `json:"prefill_seconds"`
	UntunedPrefillSecs int `json:"untuned_prefill_seconds,omitempty"`
}

// scaleSize is one size's figures, tuned and (with --untuned) untuned.
type scaleSize struct {
	Size     int                     `json:"size"`
	Requests map[string]scaleFigures `json:"requests"`
	Untuned  map[string]scaleFigures `json:"untuned,omitempty"`
	Groups   scaleGroups             `json:"groups"`
	// Throughput is the --readers run (tuned only).
	Throughput *scaleThroughput `json:"throughput,omitempty"`
}

// scaleReport is the scenario's one JSON object.
type scaleReport struct {
	Backend string      `json:"backend"`
	Sizes   []scaleSize `json:"sizes"`
}

// scaleKinds are the hot requests, in the order they are measured.
var scaleKinds = []string{"answer", "test_start", "result", "page_view", "heartbeat", "thread_page", "thread_last_page",
	"space_threads", "notifications", "profile", "inspector_hours", "verify"}

func runScale(o scaleOptions) {
	if o.backend != "sqlite" && o.backend != "postgres" {
		fail("--backend must be sqlite or postgres")
	}
	pgURL := os.Getenv("ARDOISE_POSTGRES_URL")
	if o.backend == "postgres" && pgURL == "" {
		fail("--backend postgres needs ARDOISE_POSTGRES_URL")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	modes := []bool{false}
	if o.untuned {
		modes = append(modes, true)
	}
	stores := map[bool]*embedded.Store{}
	for _, untuned := range modes {
		opts := embedded.StoreOptions{Logger: logger, Untuned: untuned}
		if o.backend == "postgres" {
			opts.PostgresURL = pgURL
		} else {
			dir, err := os.MkdirTemp("", "ardoise-scale-")
			if err != nil {
				fail("%v", err)
			}
			defer os.RemoveAll(dir)
			opts.SQLiteDir = filepath.Join(dir, "store")
		}
		s, err := embedded.StartStore(opts)
		if err != nil {
			fail("store: %v", err)
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = s.Stop(ctx)
		}()
		stores[untuned] = s
	}
	rep := scaleReport{Backend: o.backend}
	for _, size := range o.sizes {
		res := scaleSize{Size: size}
		for _, untuned := range modes {
			figs, groups, tp, err := runScaleSize(stores[untuned], untuned, size, o, logger)
			if err != nil {
				fail("size %d (untuned %v): %v", size, untuned, err)
			}
			if untuned {
				res.Untuned, res.Groups.UntunedPrefillSecs = figs, groups.PrefillSeconds
			} else {
				res.Requests, res.Groups, res.Throughput = figs, groups, tp
			}
		}
		rep.Sizes = append(rep.Sizes, res)
		if !o.json {
			printScaleSize(res)
		}
	}
	if o.json {
		enc := json.NewEncoder(os.Stdout)
		if err := enc.Encode(rep); err != nil {
			fail("%v", err)
		}
	}
}

// runScaleSize starts Ardoise on a fresh database of store, prefills it to
// size and measures every kind; the database is dropped afterwards.
func runScaleSize(store *embedded.Store, untuned bool, size int, o scaleOptions, logger *slog.Logger) (map[string]scaleFigures, scaleGroups, *scaleThroughput, error) {
	var groups scaleGroups
	mode := "t"
	if untuned {
		mode = "u"
	}
	dbName := fmt.Sprintf("scale%s%d%d", mode, size, time.Now().UnixNano()%1e9)
	dir, err := os.MkdirTemp("", "ardoise-scale-app-")
	if err != nil {
		return nil, groups, nil, err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(os.Stderr, "loadgen: size %d, %s, database %s\n", size, map[bool]string{false: "tuned", true: "untuned"}[untuned], dbName)
	cfg := boot.Config{
		Addr: "127.0.0.1:0", DataDir: dir, MongoURI: strings.TrimSuffix(store.URI(), "/") + "/" + dbName,
		RedisURL: os.Getenv("REDIS_URL"), BaseURL: "http://127.0.0.1", SecretKeyFile: filepath.Join(dir, "secret.key"),
		QueuePrefix: dbName + ":", RegistrationsPerIP: 1000,
		// The load tool reads X-Store-Commands as an operator does.
		OpsNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
	}
	ctx := context.Background()
	openCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	sys, err := boot.Open(openCtx, cfg, logger)
	if err != nil {
		return nil, groups, nil, err
	}
	defer closeScaleSystem(sys, dbName)
	tune := func() error {
		if untuned {
			return nil
		}
		_, err := store.Tune(ctx, dbName)
		return err
	}
	if err := tune(); err != nil {
		return nil, groups, nil, fmt.Errorf("tune: %w", err)
	}
	if _, err := sys.SeedDemo(ctx); err != nil {
		return nil, groups, nil, err
	}
	slugs, err := sys.SeedModules(ctx)
	if err != nil || len(slugs) == 0 {
		return nil, groups, nil, fmt.Errorf("sample modules: %v %v", slugs, err)
	}
	sort.Strings(slugs)
	people, acc, err := scaleAccounts(ctx, sys, slugs[0])
	if err != nil {
		return nil, groups, nil, err
	}
	t0 := time.Now()
	var skip map[string]bool
	if !o.allCollections {
		kinds := slices.Clone(o.kinds)
		if o.readers > 0 {
			kinds = append(kinds, "readers")
		}
		skip = skipped(kinds)
	}
	fix, err := prefillScale(ctx, sys.DB, size, people, slugs, skip, os.Stderr)
	if err != nil {
		return nil, groups, nil, err
	}
	if err := tune(); err != nil { // the collections the prefill created
		return nil, groups, nil, fmt.Errorf("tune: %w", err)
	}
	if pg := os.Getenv("ARDOISE_POSTGRES_URL"); o.backend == "postgres" {
		if err := analyzePostgres(ctx, pg, dbName); err != nil {
			return nil, groups, nil, err
		}
	}
	groups = scaleGroups{BigThreadPosts: fix.bigThreadPosts, BigSpaceThreads: fix.spaceThreads, BigAcademieLines: fix.hoursLines,
		LearnerNotes: fix.notes, PrefillSeconds: int(time.Since(t0).Seconds())}
	url, stopWeb, err := serveWeb(sys)
	if err != nil {
		return nil, groups, nil, err
	}
	defer stopWeb()
	m, err := newScaleMeasure(url, sys, acc, fix, o)
	if err != nil {
		return nil, groups, nil, err
	}
	figs := map[string]scaleFigures{}
	for _, kind := range o.kinds {
		f, err := m.run(kind)
		if err != nil {
			return nil, groups, nil, fmt.Errorf("%s: %w", kind, err)
		}
		figs[kind] = f
		fmt.Fprintf(os.Stderr, "  %-17s p50 %8.1f ms  p99 %8.1f ms  commands %3d  (n=%d, errors %d)\n", kind, f.P50, f.P99, f.Commands, f.N, f.Errors)
	}
	if o.readers == 0 || untuned {
		return figs, groups, nil, nil
	}
	tp, err := m.readThreads(o.readers, o.readFor)
	if err != nil {
		return nil, groups, nil, fmt.Errorf("readers: %w", err)
	}
	fmt.Fprintf(os.Stderr, "  %d readers: %.0f thread pages/s, p50 %.1f ms, p99 %.1f ms (%d pages, errors %d)\n",
		tp.Readers, tp.PagesPerSec, tp.P50, tp.P99, tp.Pages, tp.Errors)
	return figs, groups, &tp, nil
}

// scaleAccess is how the measured requests authenticate.
type scaleAccess struct {
	learnerToken, answererToken, starterToken, inspectorToken string
	learnerCookie                                             string // a session, for the profile page
	slug                                                      string // the module the learner follows
}

// scaleAccounts makes, through the services, the verified accounts the
// requests are made as: a learner enrolled in slug, an answerer and a
// starter of tests, an inspector of the big académie.
func scaleAccounts(ctx context.Context, sys *boot.System, slug string) (scalePeople, scaleAccess, error) {
	var people scalePeople
	acc := scaleAccess{slug: slug}
	run := time.Now().UnixNano()
	mk := func(what string, r profile.Role) (*profile.User, string, error) {
		return makeAccount(ctx, sys, what, r, run)
	}
	var err error
	if people.learner, acc.learnerToken, err = mk("apprenant", profile.RoleLearner); err != nil {
		return people, acc, err
	}
	if _, acc.answererToken, err = mk("candidat", profile.RoleLearner); err != nil {
		return people, acc, err
	}
	if _, acc.starterToken, err = mk("debutant", profile.RoleLearner); err != nil {
		return people, acc, err
	}
	if people.inspector, acc.inspectorToken, err = mk("inspecteur", profile.RoleInspector); err != nil {
		return people, acc, err
	}
	if people.inspector, err = sys.Profile.SetScope(ctx, profile.CLI, people.inspector.ID, bigAcademie, "banc d'essai de charge"); err != nil {
		return people, acc, fmt.Errorf("inspector scope: %w", err)
	}
	if _, err := sys.Courses.Enrol(ctx, people.learner.ID, slug); err != nil {
		return people, acc, fmt.Errorf("enrol: %w", err)
	}
	acc.learnerCookie, _ = sys.Profile.NewSession(people.learner)
	return people, acc, nil
}

// makeAccount makes, through the services, a verified teacher's account
// with role r in bigAcademie, and an API token of it; run makes its
// address unique.
func makeAccount(ctx context.Context, sys *boot.System, what string, r profile.Role, run int64) (*profile.User, string, error) {
	u, err := sys.Profile.Create(ctx, profile.CreateInput{Role: r, RegisterInput: profile.RegisterInput{
		Email: fmt.Sprintf("%s-%d@charge.ardoise.fr", what, run), Password: "mot de passe de charge",
		Name: "Charge " + what, Kind: string(profile.KindTeacher),
		Territory: profile.Territory{Academie: bigAcademie, Departement: "78"},
	}})
	if err != nil {
		return nil, "", fmt.Errorf("account %s: %w", what, err)
	}
	tok, _, err := sys.Profile.CreateToken(ctx, u, "charge")
	if err != nil {
		return nil, "", fmt.Errorf("token %s: %w", what, err)
	}
	return u, tok, nil
}

// closeScaleSystem drops the size's database and takes its keys out of Redis.
func closeScaleSystem(sys *boot.System, dbName string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = sys.Community.Close(ctx) // its buffered views, before the drop
	if err := sys.DB.Drop(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: drop %s: %v\n", dbName, err)
	}
	if sys.Cfg.RedisURL != "" {
		iter := sys.RDB.Scan(ctx, 0, "*"+dbName+"*", 1000).Iterator()
		for iter.Next(ctx) {
			_ = sys.RDB.Del(ctx, iter.Val()).Err()
		}
		if qs, err := sys.RDB.SMembers(ctx, "asynq:queues").Result(); err == nil {
			for _, q := range qs {
				if strings.Contains(q, dbName) {
					_ = sys.RDB.SRem(ctx, "asynq:queues", q).Err()
				}
			}
		}
	}
	_ = sys.Close(ctx)
}

// printScaleSize writes one size's figures as a table.
func printScaleSize(s scaleSize) {
	g := s.Groups
	fmt.Printf("\nsize %d: big thread %d posts, big space %d threads, big académie %d hours lines, learner %d notifications; prefill %d s\n",
		s.Size, g.BigThreadPosts, g.BigSpaceThreads, g.BigAcademieLines, g.LearnerNotes, g.PrefillSeconds)
	fmt.Printf("%-17s %9s %9s %8s %5s", "request", "p50 ms", "p99 ms", "commands", "n")
	if s.Untuned != nil {
		fmt.Printf("   %9s %9s %8s %5s", "untuned p50", "p99", "commands", "n")
	}
	fmt.Println()
	for _, k := range scaleKinds {
		f, ok := s.Requests[k]
		if !ok {
			continue
		}
		fmt.Printf("%-17s %9.1f %9.1f %8d %5d", k, f.P50, f.P99, f.Commands, f.N)
		if u, ok := s.Untuned[k]; ok {
			fmt.Printf("   %11.1f %9.1f %8d %5d", u.P50, u.P99, u.Commands, u.N)
		}
		fmt.Println()
	}
}
