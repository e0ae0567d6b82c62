package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// parisLine stores a ledger line of a Paris teacher in the given state, as
// the crediting task would have written it.
func parisLine(t *testing.T, env *testenv.Env, teacher *profile.User, slug, state string) string {
	t.Helper()
	year := courses.SchoolYear(time.Now())
	id := courses.LineID(teacher.ID, slug, year)
	now := time.Now().UTC().Truncate(time.Millisecond)
	line := courses.Line{ID: id, LearnerID: teacher.ID, LearnerName: teacher.Name, Slug: slug, Title: "Module " + slug,
		Version: 1, SchoolYear: year, Territory: profile.Territory{Academie: "paris", Departement: "75", Circonscription: "Paris 5", UAI: "0751234A"},
		CountsFor: courses.CountsObligation, DeclaredMinutes: 60, ActiveMinutes: 60, NeededMinutes: 60,
		CompletedAt: now, State: state, CreatedAt: now,
		Events: []courses.Event{{At: now, By: "system", Action: "credit", State: state}}}
	if err := courses.NewStore(env.Sys.DB, env.Sys.Claims).ImportLine(testenv.Ctx(t), &line); err != nil {
		t.Fatal(err)
	}
	return id
}

func lineState(t *testing.T, env *testenv.Env, id string) string {
	t.Helper()
	l, err := env.Sys.Courses.Line(testenv.Ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return l.State
}

// TestInspectorScopeIsNotSelfDeclared: a Lyon inspector who moves their own
// profile to Paris still cannot list, validate or export a Paris teacher's
// hours, on the pages or the API; only an admin's scope change (audit-logged)
// opens them.
func TestInspectorScopeIsNotSelfDeclared(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		teacher := env.CreateUser(t, profile.RoleLearner)
		toReview := parisLine(t, env, teacher, "module-a", courses.StateToReview)
		validated := parisLine(t, env, teacher, "module-b", courses.StateValidated)

		insp := env.CreateUser(t, profile.RoleInspector) // Lyon, 69
		if got := profile.FormatScope(insp.Scope); got != "lyon/69" {
			t.Fatalf("inspector created with scope %q", got)
		}
		ic := env.LoggedIn(t, insp)
		resp, _ := env.PostForm(t, ic, "/profil/modifier", url.Values{"name": {insp.Name}, "handle": {insp.Handle},
			"territory.academie": {"paris"}, "territory.departement": {"75"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("profile edit: %d", resp.StatusCode)
		}
		moved, err := env.Sys.Profile.User(testenv.Ctx(t), insp.ID)
		if err != nil || moved.Territory.Academie != "paris" || profile.FormatScope(moved.Scope) != "lyon/69" {
			t.Fatalf("after the edit: territory %+v scope %+v %v", moved.Territory, moved.Scope, err)
		}

		// Pages.
		if _, body := get(t, env, ic, "/inspection/heures"); strings.Contains(body, toReview) || strings.Contains(body, teacher.Name) {
			t.Error("the hours page lists a Paris teacher's line")
		}
		env.PostForm(t, ic, "/inspection/heures", url.Values{"ligne": {toReview}, "action": {courses.ActionValidate}, "motif": {"vu"}})
		if st := lineState(t, env, toReview); st != courses.StateToReview {
			t.Errorf("the inspector validated a Paris line from the page: %s", st)
		}
		if _, body := env.PostForm(t, ic, "/inspection/heures/export", nil); strings.Contains(body, teacher.Name) {
			t.Error("the page export holds a Paris teacher's line")
		}
		// API.
		api := apiClientFor(t, env, moved)
		if _, _, raw := api.call("GET", "/api/v1/inspection/hours", nil); strings.Contains(raw, toReview) {
			t.Errorf("the API lists a Paris line: %s", raw)
		}
		api.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{toReview}, "action": courses.ActionValidate, "reason": "vu"})
		if st := lineState(t, env, toReview); st != courses.StateToReview {
			t.Errorf("the inspector validated a Paris line through the API: %s", st)
		}
		if _, _, raw := api.call("POST", "/api/v1/inspection/hours/export", map[string]any{}); strings.Contains(raw, teacher.Name) {
			t.Errorf("the API export holds a Paris teacher's line: %s", raw)
		}
		if st := lineState(t, env, validated); st != courses.StateValidated {
			t.Errorf("the Paris line was exported: %s", st)
		}

		// An admin changes the scope: a reason is required, no school, and it is logged.
		admin := env.CreateUser(t, profile.RoleAdmin)
		ac := env.LoggedIn(t, admin)
		path := "/admin/utilisateurs/" + insp.ID + "/perimetre"
		for _, bad := range []url.Values{
			{"scope": {"paris/75"}},
			{"scope": {"paris/75/Paris 5/0751234A"}, "reason": {"mutation"}},
			{"scope": {"atlantide"}, "reason": {"mutation"}},
		} {
			if resp, _ := env.PostForm(t, ac, path, bad); resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("scope %v: %d, want 422", bad, resp.StatusCode)
			}
		}
		if resp, _ := env.PostForm(t, ac, path, url.Values{"scope": {"Paris/75"}, "reason": {"mutation à Paris"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set scope: %d", resp.StatusCode)
		}
		if _, _, raw := api.call("GET", "/api/v1/me", nil); !strings.Contains(raw, `"scope":{"academie":"paris","departement":"75"}`) {
			t.Errorf("/api/v1/me does not give the new scope: %s", raw)
		}
		if _, body := get(t, env, ic, "/inspection/heures"); !strings.Contains(body, toReview) {
			t.Error("with a Paris scope the line is not listed: the checks above prove nothing")
		}
		_, page := get(t, env, ac, "/admin/journal")
		for _, want := range []string{"Périmètre d&#39;inspection", "lyon/69 → paris/75", "mutation à Paris"} {
			if !strings.Contains(page, want) {
				t.Errorf("audit page lacks %q", want)
			}
		}
	})
}

// TestScopeMigration: inspectors stored before scopes existed keep their
// territory (without school) as their scope; the migration changes nothing
// the second time, and never touches a scope an admin set.
func TestScopeMigration(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	// An inspector as releases before scopes stored one: the role, a
	// territory with a school, no scope (what an admin's promotion of a
	// teacher leaves until a scope is set).
	old := env.CreateUserIn(t, profile.RoleLearner, profile.Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon 7", UAI: "0691234A"})
	if u, err := env.Sys.Profile.SetRole(ctx, profile.CLI, old.ID, profile.RoleInspector, "nomination"); err != nil || !u.Scope.IsZero() {
		t.Fatalf("an inspector without a scope: %+v %v", u, err)
	}
	set := env.CreateUser(t, profile.RoleInspector)
	learner := env.CreateUser(t, profile.RoleLearner)
	if _, err := env.Sys.Profile.SetScope(ctx, profile.CLI, set.ID, "grenoble/38", "mutation"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := env.Sys.Profile.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{old.ID: "lyon/69/Lyon 7", set.ID: "grenoble/38", learner.ID: "—"} {
			u, err := env.Sys.Profile.User(ctx, id)
			if err != nil || profile.FormatScope(u.Scope) != want {
				t.Errorf("scope of %s: %q %v, want %q", id, profile.FormatScope(u.Scope), err, want)
			}
		}
	}
}
