package web_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// testedIn makes n teachers in territory terr, each with one finished
// CRCN test counted in the territory counters (as the worker's finish hook
// does), at level `level` everywhere.
func testedIn(t *testing.T, env *testenv.Env, n int, terr profile.Territory, level int) {
	t.Helper()
	ctx := testenv.Ctx(t)
	store := assessments.NewStore(env.Sys.DB)
	for i := range n {
		u := env.CreateUserIn(t, profile.RoleLearner, terr)
		now := time.Now().UTC().Truncate(time.Millisecond)
		tt := &assessments.Test{ID: fmt.Sprintf("terr-%s-%d", u.ID, i), UserID: u.ID, State: assessments.StateFinished,
			Scope: assessments.Scope{Framework: "crcn"}, CreatedAt: now, UpdatedAt: now, FinishedAt: now,
			Result: &assessments.Result{Level: level, Competences: []assessments.CompetenceResult{{ID: "1.1", Level: level}}}}
		if err := store.ImportFinished(ctx, tt); err != nil {
			t.Fatal(err)
		}
		if err := env.Sys.Territories.CountTest(ctx, tt); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTerritoryDashboard: an inspector of Lyon sees Lyon's people and
// nothing of Paris, on the page and through the API; a circonscription of
// fewer than 10 people shows "s"; the dashboard moves only when the daily
// snapshot runs; no scope, a bad year and a teacher are refused.
func TestTerritoryDashboard(t *testing.T) {
	testenv.ForEachBackend(t, territoryDashboard)
}

func territoryDashboard(t *testing.T, env *testenv.Env) {
	ctx := testenv.Ctx(t)
	year := courses.SchoolYear(time.Now())
	lyonCentre := profile.Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon Centre", UAI: "0691234A"}
	villeurbanne := profile.Territory{Academie: "lyon", Departement: "69", Circonscription: "Villeurbanne", UAI: "0691999Z"}
	paris := profile.Territory{Academie: "paris", Departement: "75", Circonscription: "Paris Quinze", UAI: "0759999X"}
	lyonNord := profile.Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon Nord", UAI: "0691111K"}
	testedIn(t, env, 12, lyonCentre, 3)
	testedIn(t, env, 11, lyonNord, 3)
	testedIn(t, env, 3, villeurbanne, 5)
	testedIn(t, env, 11, paris, 7)
	ledger := courses.NewStore(env.Sys.DB, env.Sys.Claims)
	for i := range 12 {
		state := courses.StateCredited
		if i >= 10 {
			state = courses.StateValidated
		}
		l := &courses.Line{ID: fmt.Sprintf("ligne-%d", i), LearnerID: fmt.Sprintf("enseignant-%d", i), Slug: "module-rgpd",
			Title: "Le RGPD en classe", SchoolYear: year, Territory: lyonCentre, State: state, DeclaredMinutes: 90,
			CountsFor: courses.CountsObligation, Nature: courses.NatureDistance, Events: []courses.Event{}}
		if err := ledger.ImportLine(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	env.DrainQueues(t, 30*time.Second) // the worker's own daily snapshot, taken at its start, is done
	if err := env.Sys.Territories.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	lyonScope := profile.Territory{Academie: "lyon", Departement: "69"}
	lyon := env.CreateUserIn(t, profile.RoleInspector, lyonScope)
	parisInsp := env.CreateUserIn(t, profile.RoleInspector, profile.Territory{Academie: "paris"})
	lyonAPI, parisAPI := apiClientFor(t, env, lyon), apiClientFor(t, env, parisInsp)

	// The snapshots hold each scope's people, and only theirs.
	snaps := campaigns.NewTerritoryStore(env.Sys.DB, env.Sys.Claims)
	for scope, want := range map[profile.Territory]int{lyonScope: 26, {Academie: "lyon"}: 26, {Academie: "paris"}: 11,
		villeurbanne.Scope(): 3, {Academie: "paris", Departement: "75"}: 11} {
		sn, err := snaps.Snapshot(ctx, campaigns.ScopeKey(year, scope))
		if err != nil || sn == nil || sn.People != want {
			t.Fatalf("snapshot of %+v: %+v %v, want %d people", scope, sn, err, want)
		}
	}

	st, body, raw := lyonAPI.call("GET", "/api/v1/territory/dashboard?schoolYear="+year, nil)
	before := raw
	if st != 200 || body["schoolYear"] != year {
		t.Fatalf("Lyon's dashboard: %d %s", st, raw)
	}
	for _, leak := range []string{"Paris", "0759999X", "paris"} {
		if strings.Contains(raw, leak) {
			t.Errorf("Lyon's dashboard shows %q: %s", leak, raw)
		}
	}
	// Villeurbanne's 3 people are hidden, wherever they are counted.
	if !strings.Contains(raw, `"key":"Villeurbanne","levels":[0,0,0,0,0,null,0,0,0],"noLevel":0,"people":null,"tests":null}`) ||
		regexp.MustCompile(`[^0-9]3[],}]`).MatchString(raw) {
		t.Errorf("Villeurbanne is not hidden: %s", raw)
	}
	lyonAPI.call("GET", "/api/v1/territory/dashboard", nil)
	if n, _ := strconv.Atoi(lyonAPI.header.Get("X-Store-Commands")); n > 3 {
		t.Errorf("the dashboard costs %d store commands", n)
	}
	st, body, raw = parisAPI.call("GET", "/api/v1/territory/dashboard", nil)
	if st != 200 || body["people"] != float64(11) || strings.Contains(raw, "Lyon") || strings.Contains(raw, "0691") || strings.Contains(raw, "RGPD") {
		t.Fatalf("Paris's dashboard: %d %s", st, raw)
	}

	c := env.LoggedIn(t, lyon)
	resp, html := get(t, env, c, "/suivi/territoire")
	st = resp.StatusCode
	for _, want := range []string{`<td>s</td>`, "secret statistique", "mises à jour une fois par jour",
		`role="img"`, "<caption>", `<th scope="row">Villeurbanne</th>`, `href="/suivi/territoire"`} {
		if st != 200 || !strings.Contains(html, want) {
			t.Fatalf("page: %d, %q missing:\n%s", st, want, html)
		}
	}
	if !strings.Contains(html, `<th scope="row">Le RGPD en classe</th><td>s</td><td>0</td><td>s</td><td>0</td><td>0</td><td>12</td><td>s</td>`) {
		t.Errorf("hours table (2 validated lines hide, with the 10 credited ones, the hours):\n%s", html)
	}
	if strings.Contains(html, "Paris") || strings.Contains(html, "0759999X") {
		t.Error("Lyon's page shows Paris")
	}

	// Live counters move; the dashboard waits for the daily snapshot.
	testedIn(t, env, 10, lyonCentre, 4)
	counter, err := env.Sys.Territories.CounterOf(ctx, year, lyonCentre)
	if err != nil || len(counter.People) != 22 {
		t.Fatalf("live counter: %v %v", counter, err)
	}
	if _, _, now := lyonAPI.call("GET", "/api/v1/territory/dashboard?schoolYear="+year, nil); now != before {
		t.Fatalf("the dashboard moved before the snapshot:\n%s\n%s", before, now)
	}
	if err := env.Sys.Territories.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, now := lyonAPI.call("GET", "/api/v1/territory/dashboard?schoolYear="+year, nil); now == before {
		t.Fatalf("the snapshot did not move the dashboard: %s", now)
	}
	if sn, err := snaps.Snapshot(ctx, campaigns.ScopeKey(year, lyonScope)); err != nil || sn.People != 36 {
		t.Fatalf("new snapshot: %+v %v", sn, err)
	}

	// Refusals.
	noScope := apiClientFor(t, env, env.CreateUserIn(t, profile.RoleInspector, profile.Territory{}))
	if st, _, raw = noScope.call("GET", "/api/v1/territory/dashboard", nil); st != 403 || !strings.Contains(raw, `"no_scope"`) {
		t.Errorf("no scope: %d %s", st, raw)
	}
	st, _, raw = lyonAPI.call("GET", "/api/v1/territory/dashboard?schoolYear=2026", nil)
	if st != 400 || !strings.Contains(raw, `"schoolYear":"L'année scolaire s'écrit 2026-2027."`) {
		t.Errorf("bad year: %d %s", st, raw)
	}
	if resp, html = get(t, env, c, "/suivi/territoire?annee=demain"); resp.StatusCode != 422 || !strings.Contains(html, `id="annee-error"`) || !strings.Contains(html, "scolaire s&#39;écrit 2026-2027.") {
		t.Errorf("bad year on the page: %d", resp.StatusCode)
	}
	teacher := apiClientFor(t, env, env.CreateUserIn(t, profile.RoleLearner, lyonCentre))
	if st, _, raw = teacher.call("GET", "/api/v1/territory/dashboard", nil); st != 403 {
		t.Errorf("a teacher: %d %s", st, raw)
	}
}
