package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ardoise/internal/clock"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestBrowserReferentSetsUpSession: an admin creates a centre naming a
// référent; the référent signs in, follows the profile's link to the
// desk, creates a session for today, uploads a CSV file of two
// candidates, sees them listed, and reads the session's number, access
// code and invigilator password; at 360 px the page does not scroll
// sideways (the table scrolls in its own box).
func TestBrowserReferentSetsUpSession(t *testing.T) {
	env := testenv.New(t)
	adminUser := env.CreateUser(t, profile.RoleAdmin)
	refUser := env.CreateUser(t, profile.RoleLearner)
	ctx := browser(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// The admin creates the centre.
	run("the admin creates a centre",
		signIn(env, adminUser.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/admin/centres"),
		chromedp.WaitVisible(chromedp.ID("create-centre")),
		chromedp.SendKeys(chromedp.ID("name"), "INSPÉ de Lyon"),
		chromedp.SetValue(chromedp.CSS(`select[name="territory.academie"]`), "lyon"),
		chromedp.SendKeys(chromedp.ID("referents"), refUser.Email),
		chromedp.Click(chromedp.ID("create-centre")),
		chromedp.WaitVisible(chromedp.CSS(`#centres th[scope=row]`)),
	)
	if s := read(t, ctx, "centres", chromedp.Text(chromedp.ID("centres"))); !strings.Contains(s, "INSPÉ de Lyon") {
		t.Fatalf("centres list %q", s)
	}
	run("the admin signs out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.CSS(`a[href="/connexion"]`)))

	// The référent creates a session for today.
	today := time.Now().In(clock.Paris()).Format(time.DateOnly)
	run("the référent creates a session",
		signIn(env, refUser.Email, testenv.TestPassword),
		chromedp.Click(chromedp.ID("certification-desk")),
		chromedp.WaitVisible(chromedp.ID("create-session")),
		chromedp.SetValue(chromedp.ID("date"), today),
		chromedp.SetValue(chromedp.ID("time"), "23:30"),
		chromedp.SendKeys(chromedp.ID("place"), "INSPÉ de Lyon, Croix-Rousse"),
		chromedp.SendKeys(chromedp.ID("room"), "B204"),
		chromedp.SendKeys(chromedp.ID("invigilator"), "M. Leroy"),
		chromedp.Click(chromedp.ID("create-session")),
		chromedp.WaitVisible(chromedp.ID("session-number")),
	)

	// The candidates' file.
	file := filepath.Join(t.TempDir(), "candidats.csv")
	csv := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
		"Martin;Élise;12/03/1985;elise.martin@ac-lyon.fr;;non\n" +
		"Dupont;Jean-Luc;02/11/1979;jl.dupont@ac-lyon.fr;33;oui\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	run("the référent imports the candidates",
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}),
		chromedp.Click(chromedp.ID("import-candidates")),
		chromedp.WaitVisible(chromedp.ID("imported")),
	)
	list := read(t, ctx, "candidates", chromedp.Text(chromedp.ID("candidates")))
	for _, want := range []string{"Martin", "Élise", "Dupont", "Jean-Luc", "33 %"} {
		if !strings.Contains(list, want) {
			t.Errorf("%q not in the list %q", want, list)
		}
	}

	// The number and codes on the page are the session's.
	path := read(t, ctx, "path", chromedp.Evaluate[string](`location.pathname`))
	id := strings.TrimPrefix(path, "/certification/centre/sessions/")
	x, err := env.Sys.Certification.SessionFor(testenv.Ctx(t), refUser, id)
	if err != nil {
		t.Fatalf("session %q: %v", path, err)
	}
	number := read(t, ctx, "number", chromedp.Text(chromedp.ID("session-number")))
	code := read(t, ctx, "access code", chromedp.Text(chromedp.ID("access-code")))
	password := read(t, ctx, "password", chromedp.Text(chromedp.ID("invigilator-password")))
	if number != strconv.Itoa(x.Number) || code != x.AccessCode || password != x.InvigilatorPassword {
		t.Errorf("page shows %s / %s / %s, session is %d / %s / %s", number, code, password, x.Number, x.AccessCode, x.InvigilatorPassword)
	}
	if len(x.Candidates) != 2 || x.Date != today {
		t.Errorf("session saved with %d candidates on %s", len(x.Candidates), x.Date)
	}

	// At 360 px the pages reflow: nothing scrolls sideways but the tables' boxes.
	run("a narrow screen", chromedp.EmulateViewport(360, 740))
	for _, p := range []string{path, "/certification/centre"} {
		run("load "+p, chromedp.Navigate(env.URL+p), chromedp.WaitVisible(chromedp.CSS("table")))
		if w := read(t, ctx, "width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
			wide := read(t, ctx, "wide", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('body *')).filter(e => !e.parentElement.closest('.table-scroll') && e.getBoundingClientRect().right > 361).map(e => e.tagName + '#' + e.id).join(' ')`))
			t.Errorf("%s is %d px wide at 360 px: %s", p, w, wide)
		}
	}
}
