package web_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// quickModule publishes a one-page module of the given declared minutes,
// owned by ownerID, that a view of its page completes (no time, no quiz).
func quickModule(t *testing.T, env *testenv.Env, slug, ownerID string, minutes int) {
	t.Helper()
	src := courses.Source{Files: map[string][]byte{
		"module.md": []byte(fmt.Sprintf("---\ntitle: Module %s\nsummary: Essai.\naudience: teachers\ncompetences: [\"4.2\"]\nduration_minutes: %d\n"+
			"completion: {min_active_share: 0, min_quiz_score: 0}\n---\nBonjour.\n", slug, minutes)),
		"01-intro.md": []byte("---\ntitle: Introduction\n---\nTexte.\n"),
	}}
	owner := courses.Author{ID: ownerID}
	if _, problems, err := env.Sys.Courses.SaveDraft(testenv.Ctx(t), owner, slug, src); err != nil || len(problems) > 0 {
		t.Fatalf("draft: %v %v", err, problems)
	}
	if _, err := env.Sys.Courses.Publish(testenv.Ctx(t), owner, slug, "v1"); err != nil {
		t.Fatal(err)
	}
}

// teacherNamed makes a verified teacher with that name and territory.
func teacherNamed(t *testing.T, env *testenv.Env, r profile.Role, name string, terr profile.Territory) *profile.User {
	t.Helper()
	n := time.Now().UnixNano()
	u, err := env.Sys.Profile.Create(testenv.Ctx(t), profile.CreateInput{Role: r, RegisterInput: profile.RegisterInput{
		Email: fmt.Sprintf("t%d@test.ardoise.fr", n), Password: testenv.TestPassword, Name: name,
		Kind: string(profile.KindTeacher), Territory: terr,
	}})
	if err != nil {
		t.Fatalf("create %q: %v", name, err)
	}
	return u
}

// completeModule has u enrol in slug and view its only page through the
// API, and waits for the ledger line the completion credits.
func completeModule(t *testing.T, env *testenv.Env, u *profile.User, slug string) *courses.Line {
	t.Helper()
	api := apiClientFor(t, env, u)
	if st, _, raw := api.call("POST", "/api/v1/modules/"+slug+"/enrolment", nil); st != 201 {
		t.Fatalf("enrol %s: %d %s", u.Name, st, raw)
	}
	if st, _, raw := api.call("POST", "/api/v1/enrolments/"+slug+"/views", map[string]any{"page": "01-intro"}); st != 200 {
		t.Fatalf("view: %d %s", st, raw)
	}
	id := courses.LineID(u.ID, slug, courses.SchoolYear(time.Now()))
	var l *courses.Line
	testenv.Eventually(t, 20*time.Second, "the line of "+u.Name, func() bool {
		l, _ = env.Sys.Courses.Line(testenv.Ctx(t), id)
		return l != nil
	})
	return l
}

// readCSV parses a payment export (byte order mark, semicolons).
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\uFEFF") {
		t.Fatalf("no byte order mark: %.80q", body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return rows
}

// column returns the cells of a column of an export, header excluded.
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	i := -1
	for j, h := range rows[0] {
		if h == name {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("no column %s in %v", name, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}
