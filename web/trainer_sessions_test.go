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

// TestSessionPages: a trainer opens a session of a module, adds two
// teachers, records attendance on the grid and closes it; the teacher who
// attended every half-day is credited paid hours with the allowance.
func TestSessionPages(t *testing.T) {
	env := testenv.New(t)
	const slug = "module-session-web"
	apiModule(t, env, slug)
	trainer := env.CreateUser(t, profile.RoleTrainer)
	full, part := env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleLearner)
	c := env.LoggedIn(t, trainer)

	resp, body := env.PostForm(t, c, "/formation/sessions", url.Values{"module": {slug}, "place": {"Atelier Canopé"}, "halfDays": {"2027-02-15-matin"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "2027-02-15-am (matin)") {
		t.Fatalf("bad half-day: %d", resp.StatusCode)
	}
	resp, _ = env.PostForm(t, c, "/formation/sessions", url.Values{"module": {slug}, "place": {"Atelier Canopé"}, "halfDays": {"2027-02-15-am\n2027-02-15-pm"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	page := resp.Header.Get("Location")
	for _, u := range []*profile.User{full, part} {
		if resp, _ := env.PostForm(t, c, page+"/participants", url.Values{"email": {u.Email}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add participant: %d", resp.StatusCode)
		}
	}
	if resp, body := env.PostForm(t, c, page+"/participants", url.Values{"email": {"personne@nulle.part"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Aucun compte enseignant") {
		t.Fatalf("unknown participant: %d", resp.StatusCode)
	}
	_, body = get(t, env, c, page)
	if !strings.Contains(body, `id="attendance"`) || !strings.Contains(body, full.Name) {
		t.Fatal("no attendance grid")
	}
	grid := url.Values{"presence": {full.ID + "|2027-02-15-am", full.ID + "|2027-02-15-pm", part.ID + "|2027-02-15-am"}}
	if resp, _ := env.PostForm(t, c, page+"/presence", grid); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attendance: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, c, page+"/cloturer", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}
	if _, body := get(t, env, c, page); !strings.Contains(body, "clôturée") || strings.Contains(body, `id="save-attendance"`) {
		t.Fatal("the closed session still takes attendance")
	}
	other := env.LoggedIn(t, env.CreateUser(t, profile.RoleTrainer))
	if resp, _ := get(t, env, other, page); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another trainer sees the session: %d", resp.StatusCode)
	}
	testenv.Eventually(t, 20*time.Second, "paid hours", func() bool {
		l, err := env.Sys.Courses.Line(testenv.Ctx(t), courses.LineID(full.ID, slug, "2026-2027"))
		return err == nil && l.AmountCents == 2*int(10*2000/60/2) && l.CountsFor == courses.CountsPaid
	})
	_, body = get(t, env, env.LoggedIn(t, full), "/profil")
	if !strings.Contains(body, "hors temps scolaire") || !strings.Contains(body, "3,32 €") {
		t.Fatal("the teacher's profile does not show the paid hours")
	}
}
