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

// TestNobodyReviewsTheirOwnLines: an inspector who followed a module does
// not see their own line, cannot validate it (403 own_line, by the API and
// the page, even mixed with others' lines) nor export it; an admin
// validates and exports it; nobody, admins included, reviews their own.
func TestNobodyReviewsTheirOwnLines(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		const slug = "module-soi"
		quickModule(t, env, slug, "formatrice-soi", 60)
		inspector, admin := env.CreateUser(t, profile.RoleInspector), env.CreateUser(t, profile.RoleAdmin)
		teacher := env.CreateUser(t, profile.RoleLearner)
		own := completeModule(t, env, inspector, slug).ID
		other := completeModule(t, env, teacher, slug).ID
		adminOwn := completeModule(t, env, admin, slug).ID
		insp, adm := apiClientFor(t, env, inspector), apiClientFor(t, env, admin)
		year := courses.SchoolYear(time.Now())

		if st, _, raw := insp.call("GET", "/api/v1/inspection/hours", nil); st != 200 || !strings.Contains(raw, other) || strings.Contains(raw, own) {
			t.Fatalf("the inspector's list: %d %s", st, raw)
		}
		if _, page := get(t, env, env.LoggedIn(t, inspector), "/inspection/heures"); !strings.Contains(page, other) || strings.Contains(page, own) {
			t.Fatal("the inspector's page lists their own line")
		}
		for _, ids := range [][]string{{own}, {other, own}} {
			st, _, raw := insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": ids, "action": "validate"})
			if st != http.StatusForbidden || !strings.Contains(raw, `"code":"own_line"`) {
				t.Fatalf("the inspector validates their own line %v: %d %s", ids, st, raw)
			}
		}
		resp, body := env.PostForm(t, env.LoggedIn(t, inspector), "/inspection/heures", url.Values{"ligne": {own}, "action": {"reject"}, "motif": {"Pas moi"}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "ses propres heures") {
			t.Fatalf("the page lets the inspector reject their own line: %d", resp.StatusCode)
		}
		for _, id := range []string{own, other} {
			if l, _ := env.Sys.Courses.Line(ctx, id); l.State != courses.StateCredited {
				t.Fatalf("a refused request changed %s: %s", id, l.State)
			}
		}
		// The admin reviews the inspector's line, not their own.
		if st, _, raw := adm.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{own, other}, "action": "validate"}); st != 200 ||
			!strings.Contains(raw, `"changed":["`+own+`","`+other+`"]`) {
			t.Fatalf("the admin validates: %d %s", st, raw)
		}
		// Admins review nationwide: a line from another académie than the admin's (Lyon).
		far := completeModule(t, env, teacherNamed(t, env, profile.RoleLearner, "Enseignante Guyane", profile.Territory{Academie: "guyane", Departement: "973"}), slug).ID
		if st, _, raw := adm.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{far}, "action": "validate"}); st != 200 ||
			!strings.Contains(raw, `"changed":["`+far+`"]`) {
			t.Fatalf("the admin validates a line from another académie: %d %s", st, raw)
		}
		if st, _, raw := adm.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{adminOwn}, "action": "validate"}); st != http.StatusForbidden {
			t.Fatalf("the admin validates their own line: %d %s", st, raw)
		}
		st, _, raw := insp.call("POST", "/api/v1/inspection/hours/export", map[string]any{"schoolYear": year})
		if st != 200 || !strings.Contains(raw, other) || strings.Contains(raw, own) {
			t.Fatalf("the inspector's export: %d %s", st, raw)
		}
		if l, _ := env.Sys.Courses.Line(ctx, own); l.State != courses.StateValidated {
			t.Fatalf("the inspector's export marked their own line: %s", l.State)
		}
		if st, _, raw := adm.call("POST", "/api/v1/inspection/hours/export", map[string]any{"schoolYear": year}); st != 200 || !strings.Contains(raw, own) {
			t.Fatalf("the admin's export: %d %s", st, raw)
		}
	})
}

// TestInspectionUsesTheScopeOnly: an inspector whose scope (set by an
// admin) is Lyon and whose own territory says Paris lists, validates and
// exports Lyon's lines and none of Paris; an inspector without a scope
// sees and does nothing, whatever their territory.
func TestInspectionUsesTheScopeOnly(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		const slug = "module-portee"
		quickModule(t, env, slug, "formatrice-portee", 60)
		paris := profile.Territory{Academie: "paris", Departement: "75"}
		parisLine := completeModule(t, env, teacherNamed(t, env, profile.RoleLearner, "Paul Parisien", paris), slug).ID
		lyonLine := completeModule(t, env, env.CreateUser(t, profile.RoleLearner), slug).ID

		lyonInspector := env.CreateUser(t, profile.RoleInspector) // scope Lyon · 69
		// They move their own profile to Paris; their scope stays.
		if _, err := env.Sys.Profile.UpdateProfile(testenv.Ctx(t), lyonInspector,
			profile.ProfileInput{Name: lyonInspector.Name, Handle: lyonInspector.Handle, Territory: paris}); err != nil {
			t.Fatal(err)
		}
		api := apiClientFor(t, env, lyonInspector)
		if st, _, raw := api.call("GET", "/api/v1/inspection/hours", nil); st != 200 || !strings.Contains(raw, lyonLine) || strings.Contains(raw, parisLine) {
			t.Fatalf("list: %d %s", st, raw)
		}
		if st, _, raw := api.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{parisLine, lyonLine}, "action": "validate"}); st != 200 ||
			!strings.Contains(raw, `"changed":["`+lyonLine+`"]`) || !strings.Contains(raw, `"skipped":["`+parisLine+`"]`) {
			t.Fatalf("review: %d %s", st, raw)
		}
		if st, _, raw := api.call("POST", "/api/v1/inspection/hours/export", map[string]any{}); st != 200 || !strings.Contains(raw, lyonLine) || strings.Contains(raw, parisLine) {
			t.Fatalf("export: %d %s", st, raw)
		}

		// An admin makes a teacher inspector and sets no scope yet.
		noScope, err := env.Sys.Profile.SetRole(testenv.Ctx(t), profile.CLI, env.CreateUser(t, profile.RoleLearner).ID, profile.RoleInspector, "nomination")
		if err != nil || !noScope.Has(profile.RoleInspector) || !noScope.Scope.IsZero() {
			t.Fatalf("an inspector without a scope: %+v %v", noScope, err)
		}
		none := apiClientFor(t, env, noScope)
		for _, call := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/inspection/hours", nil},
			{"POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{parisLine, lyonLine}, "action": "reject", "reason": "Essai"}},
			{"POST", "/api/v1/inspection/hours/export", map[string]any{"again": true}},
		} {
			if st, _, raw := none.call(call.method, call.path, call.body); st != http.StatusForbidden || strings.Contains(raw, lyonLine) || strings.Contains(raw, parisLine) {
				t.Errorf("%s without a scope: %d %s", call.path, st, raw)
			}
		}
	})
}
