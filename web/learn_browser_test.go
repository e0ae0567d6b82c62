package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// browserModule is a short module whose rule asks for no active time, so
// that a browser completes it without waiting; time is tested elsewhere.
func browserModule() courses.Source {
	return courses.Source{Files: map[string][]byte{
		"module.md": []byte("---\ntitle: Protéger les données des élèves\nsummary: Un module court.\naudience: teachers\n" +
			"competences: [\"4.2\"]\nobjectives: [\"Savoir ce qu'est une donnée personnelle\"]\nduration_minutes: 90\n" +
			"completion: {min_active_share: 0, min_quiz_score: 1}\n---\nBienvenue.\n"),
		"01-donnees.md": []byte("---\ntitle: Les données personnelles\n---\nUne donnée personnelle identifie une personne.\n"),
		"02-quiz.md": []byte("---\ntitle: Vérifier\n---\nRépondez.\n\n```quiz\nid: nom\ntype: qcu\nquestion: Le nom d'un élève est-il une donnée personnelle ?\n" +
			"proposals:\n  - {id: oui, text: Oui, feedback: Exact.}\n  - {id: non, text: Non, feedback: \"Si : il l'identifie.\"}\nsolution: oui\nexplanation: Il identifie l'élève.\n```\n"),
	}}
}

// inPage runs a fetch in the page and waits for its text result, kept in a
// window variable (no promise crosses the protocol).
func inPage(t *testing.T, ctx context.Context, what, fetchExpr string) string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.__r = undefined; (`+fetchExpr+`).then(function(r){ window.__r = r; }).catch(function(e){ window.__r = 'error: ' + e; }); undefined`)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	waitFor(t, ctx, what, `window.__r !== undefined`)
	return read(t, ctx, what, chromedp.Evaluate[string](`String(window.__r)`))
}

// TestBrowserTrainingJourney: a trainer publishes a module; a teacher
// enrols, reads, answers the quiz with its feedback, completes, downloads
// the attestation and opens its public verification page; an inspector
// of the territory validates the hours and exports the payment CSV.
func TestBrowserTrainingJourney(t *testing.T) {
	env := testenv.New(t)
	trainer := env.CreateUser(t, profile.RoleTrainer)
	teacher := env.CreateUser(t, profile.RoleLearner)
	inspector := env.CreateUser(t, profile.RoleInspector)
	const slug = "donnees-eleves"

	tctx := browser(t)
	if err := chromedp.Do(tctx, signIn(env, trainer.Email, testenv.TestPassword)); err != nil {
		t.Fatal(err)
	}
	publishInBrowser(t, env, tctx, slug, browserModule())

	ctx := browser(t)
	err := chromedp.Do(ctx,
		signIn(env, teacher.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/modules?public=teachers&competence=4.2"),
		chromedp.Click(chromedp.CSS(`a[href="/modules/`+slug+`"]`)),
		chromedp.WaitVisible(chromedp.ID("enrol")),
		chromedp.Click(chromedp.ID("enrol")),
		chromedp.WaitVisible(chromedp.ID("page")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The page's script beats with the CSRF token in a header.
	beat := inPage(t, ctx, "a heartbeat", `fetch(document.getElementById('page').dataset.beat, {method: 'POST', credentials: 'same-origin',
		headers: {'X-CSRF-Token': document.getElementById('page').dataset.csrf}}).then(function(r){ return r.status + ' ' + r.headers.get('content-type'); })`)
	if !strings.HasPrefix(beat, "200 application/json") {
		t.Fatalf("heartbeat: %s", beat)
	}
	waitFor(t, ctx, "navigation links marked by the script", `document.getElementById('next').href.indexOf('js=1') > 0`)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("next")),
		chromedp.WaitVisible(chromedp.ID("quiz-nom")),
		chromedp.Click(chromedp.ID("quiz-nom-non")),
		chromedp.Click(chromedp.CSS(`#quiz-nom button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("quiz-nom-feedback")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if fb := read(t, ctx, "feedback", chromedp.Text(chromedp.ID("quiz-nom-feedback"))); !strings.Contains(fb, "Si : il l'identifie") {
		t.Fatalf("wrong answer feedback: %q", fb)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("quiz-nom-oui")),
		chromedp.Click(chromedp.CSS(`#quiz-nom button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("completed")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if fb := read(t, ctx, "feedback", chromedp.Text(chromedp.ID("quiz-nom-feedback"))); !strings.Contains(fb, "Exact.") || !strings.Contains(fb, "Il identifie l'élève") {
		t.Fatalf("right answer feedback: %q", fb)
	}

	// The attestation is issued by the worker: the profile shows it once there.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/profil")); err != nil {
			t.Fatal(err)
		}
		if read(t, ctx, "attestation link", chromedp.Evaluate[bool](`!!document.querySelector('#attestations a.download')`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no attestation on the profile")
		}
		time.Sleep(300 * time.Millisecond)
	}
	pdf := inPage(t, ctx, "the PDF", `fetch(document.querySelector('#attestations a.download').href).then(function(r){ return r.arrayBuffer(); })
		.then(function(b){ return new TextDecoder().decode(b.slice(0, 5)) + ' ' + b.byteLength; })`)
	size, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(pdf, "%PDF-")))
	if !strings.HasPrefix(pdf, "%PDF-") || size == 0 || size > 60*1024 {
		t.Fatalf("attestation PDF: %q", pdf)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#attestations a[href^="/verifier/"]`)),
		chromedp.WaitVisible(chromedp.ID("verdict")),
	)
	if err != nil {
		t.Fatal(err)
	}
	verdict := read(t, ctx, "verdict", chromedp.Text(chromedp.ID("verdict")))
	holder := read(t, ctx, "holder", chromedp.Text(chromedp.ID("holder")))
	if !strings.Contains(verdict, "Attestation valide") || holder != teacher.Name {
		t.Fatalf("verification page: %q, holder %q", verdict, holder)
	}

	ictx := browser(t)
	lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(time.Now()))
	err = chromedp.Do(ictx,
		signIn(env, inspector.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/inspection/heures"),
		chromedp.WaitVisible(chromedp.ID("lines")),
		chromedp.Click(chromedp.CSS(`input[name=ligne][value="`+lineID+`"]`)),
		chromedp.Click(chromedp.ID("validate")),
		chromedp.WaitVisible(chromedp.ID("report")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rep := read(t, ictx, "report", chromedp.Text(chromedp.ID("report"))); !strings.HasPrefix(rep, "1 ligne(s) modifiée(s)") {
		t.Fatalf("review report: %q", rep)
	}
	csv := inPage(t, ictx, "the CSV export", `fetch('/inspection/heures/export', {method: 'POST', credentials: 'same-origin',
		body: new URLSearchParams({_csrf: document.querySelector('input[name=_csrf]').value, annee: ''})}).then(function(r){ return r.arrayBuffer(); })
		.then(function(b){ return Array.from(new Uint8Array(b.slice(0, 3))).join(',') + '|' + new TextDecoder().decode(b); })`)
	if !strings.HasPrefix(csv, "239,187,191|ligne;annee_scolaire;") || !strings.Contains(csv, lineID) || !strings.Contains(csv, ";1,50;") {
		t.Fatalf("CSV export:\n%s", csv)
	}
	if l, err := env.Sys.Courses.Line(testenv.Ctx(t), lineID); err != nil || l.State != courses.StateExported {
		t.Fatalf("line after export: %+v %v", l, err)
	}
}
