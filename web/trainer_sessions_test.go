package web_test

import (
	"fmt"
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
	resp, _ = env.PostForm(t, c, "/formation/sessions", url.Values{"module": {slug}, "place": {"Atelier Canopé"}, "halfDays": {"2026-02-16-am\n2026-02-16-pm"}}) // already held: it may close
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
	grid := url.Values{"presence": {full.ID + "|2026-02-16-am", full.ID + "|2026-02-16-pm", part.ID + "|2026-02-16-am"}}
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
		l, err := env.Sys.Courses.Line(testenv.Ctx(t), courses.LineID(full.ID, slug, "2025-2026"))
		return err == nil && l.AmountCents == 2*int(10*2000/60/2) && l.CountsFor == courses.CountsPaid
	})
	_, body = get(t, env, env.LoggedIn(t, full), "/profil")
	if !strings.Contains(body, "hors temps scolaire") || !strings.Contains(body, "3,32 €") {
		t.Fatal("the teacher's profile does not show the paid hours")
	}
}

// sessionPage opens a session of slug on halfDays as trainer c and returns its page.
func sessionPage(t *testing.T, env *testenv.Env, c *http.Client, slug, halfDays string) string {
	t.Helper()
	resp, body := env.PostForm(t, c, "/formation/sessions", url.Values{"module": {slug}, "place": {"Atelier Canopé"}, "halfDays": {halfDays}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create session: %d %.300s", resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// TestSessionSeparationOfDuties: whoever runs a session (its trainer, the
// module's co-authors) cannot take part in it, nor be marked present; an
// unverified account cannot be added; and nobody closes a session before
// its last half-day has ended, by the server's clock.
func TestSessionSeparationOfDuties(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	trainer, coAuthor, later := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer)
	const slug = "module-soi-meme"
	quickModule(t, env, slug, coAuthor.ID, 2400)
	c := env.LoggedIn(t, trainer)
	day := time.Now().AddDate(0, 0, 7).Format(time.DateOnly)
	page := sessionPage(t, env, c, slug, day+"-am "+day+"-pm")

	unverified := env.CreateUnverified(t, profile.RoleLearner)
	for _, refused := range []struct {
		who  *profile.User
		want string
	}{
		{trainer, "ne peut pas y participer"},
		{coAuthor, "ne peut pas y participer"},
		{unverified, "pas encore confirmé son adresse"},
	} {
		resp, body := env.PostForm(t, c, page+"/participants", url.Values{"email": {refused.who.Email}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, refused.want) {
			t.Fatalf("added %s: %d", refused.who.Name, resp.StatusCode)
		}
	}
	teacher := env.CreateUser(t, profile.RoleLearner)
	for _, u := range []*profile.User{teacher, later} {
		if resp, _ := env.PostForm(t, c, page+"/participants", url.Values{"email": {u.Email}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add %s: %d", u.Name, resp.StatusCode)
		}
	}
	// A participant who becomes a co-author of the module is not marked present.
	if resp, _ := env.PostForm(t, env.LoggedIn(t, coAuthor), "/formation/modules/"+slug+"/coproprietaires", url.Values{"email": {later.Email}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add co-author: %d", resp.StatusCode)
	}
	resp, body := env.PostForm(t, c, page+"/presence", url.Values{"presence": {teacher.ID + "|" + day + "-am", later.ID + "|" + day + "-am"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ne peut pas y participer") {
		t.Fatalf("marked a co-author present: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, c, page+"/presence", url.Values{"presence": {teacher.ID + "|" + day + "-am", teacher.ID + "|" + day + "-pm"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attendance: %d", resp.StatusCode)
	}
	resp, body = env.PostForm(t, c, page+"/cloturer", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "après la fin de sa dernière demi-journée") {
		t.Fatalf("closed before its dates: %d", resp.StatusCode)
	}
	id := strings.TrimPrefix(page, "/formation/sessions/")
	if ss, err := env.Sys.Courses.Session(ctx, trainer, id); err != nil || ss.Closed() {
		t.Fatalf("the session: %+v %v", ss, err)
	}
}

// TestYearlyCapHoldsPaidLines: a teacher paid the year's cap (600 € in the
// built-in rates: five days at 120 €) by one session gets the line of a
// second session of the same school year held for review with its reason,
// not credited, and no attestation for it.
func TestYearlyCapHoldsPaidLines(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	quickModule(t, env, "module-cinq-jours", "formatrice-cap", 2400)
	quickModule(t, env, "module-une-heure", "formatrice-cap", 60)
	c := env.LoggedIn(t, env.CreateUser(t, profile.RoleTrainer))
	teacher := env.CreateUser(t, profile.RoleLearner)
	attend := func(slug string, halfDays ...string) string {
		page := sessionPage(t, env, c, slug, strings.Join(halfDays, " "))
		if resp, _ := env.PostForm(t, c, page+"/participants", url.Values{"email": {teacher.Email}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d", resp.StatusCode)
		}
		grid := url.Values{}
		for _, h := range halfDays {
			grid.Add("presence", teacher.ID+"|"+h)
		}
		if resp, _ := env.PostForm(t, c, page+"/presence", grid); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("attendance: %d", resp.StatusCode)
		}
		if resp, _ := env.PostForm(t, c, page+"/cloturer", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", resp.StatusCode)
		}
		return courses.LineID(teacher.ID, slug, "2025-2026")
	}
	line := func(id string) *courses.Line {
		var l *courses.Line
		testenv.Eventually(t, 20*time.Second, "line "+id, func() bool {
			l, _ = env.Sys.Courses.Line(ctx, id)
			return l != nil
		})
		return l
	}
	var week []string
	for d := 20; d <= 24; d++ {
		week = append(week, fmt.Sprintf("2025-10-%d-am", d), fmt.Sprintf("2025-10-%d-pm", d))
	}
	if l := line(attend("module-cinq-jours", week...)); l.State != courses.StateCredited || l.AmountCents != 60000 {
		t.Fatalf("five days: %s %d", l.State, l.AmountCents)
	}
	held := attend("module-une-heure", "2025-12-22-am")
	l := line(held)
	if l.State != courses.StateToReview || l.LastReason() != courses.ReasonYearlyCap || l.AmountCents != 2000 {
		t.Fatalf("beyond the yearly cap: %s %q %d", l.State, l.LastReason(), l.AmountCents)
	}
	testenv.Eventually(t, 20*time.Second, "the first session's attestation", func() bool {
		certs, _ := env.Sys.Certificates.ForHolder(ctx, teacher.ID)
		return len(certs) == 1 && certs[0].SourceID == courses.LineID(teacher.ID, "module-cinq-jours", "2025-2026")
	})
}
