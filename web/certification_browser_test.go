package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestBrowserCertificationDay runs a session's day in two browsers: the
// invigilator opens the supervision and the session; the candidate checks
// in with the keyboard and waits; the board shows them by itself (its
// script refreshes it) and the invigilator confirms; the candidate's page
// moves on by itself to the access code, the test starts, the candidate
// answers with the keyboard, signals a problem, the invigilator validates
// it, the question is replaced, and the candidate answers to the end,
// where no result is shown. A second tab of the same browser is refused.
// Then the référent finalizes the session, an admin apart from the centre
// publishes it as its jury, and the certificate the worker issues verifies.
func TestBrowserCertificationDay(t *testing.T) {
	env := testenv.New(t)
	jean := env.CreateUser(t, profile.RoleLearner)
	x := newCertSession(t, env, jean)
	inv, cand := browser(t), browser(t)

	// The invigilator opens the supervision, then the session.
	if err := chromedp.Do(inv, chromedp.Navigate(env.URL+"/surveillance"), chromedp.WaitVisible(chromedp.ID("session")),
		chromedp.SendKeys(chromedp.ID("session"), strconv.Itoa(x.Number)), chromedp.SendKeys(chromedp.ID("password"), x.Password),
		chromedp.Click(chromedp.ID("supervision-submit")), chromedp.WaitVisible(chromedp.ID("open-session")),
		chromedp.Click(chromedp.ID("open-session"))); err != nil {
		t.Fatal(err)
	}
	// The board again, once the session is open: no "open" button, and the status says so.
	waitFor(t, inv, "the open session", `document.readyState === 'complete' && !document.getElementById('open-session') && !!document.getElementById('session-status') && document.getElementById('session-status').textContent.indexOf('La session est ouverte') === 0`)

	// The candidate checks in with the keyboard.
	if err := chromedp.Do(cand, signIn(env, jean.Email, testenv.TestPassword), chromedp.Navigate(env.URL+"/certification"),
		chromedp.WaitVisible(chromedp.ID("session"))); err != nil {
		t.Fatal(err)
	}
	tabTo(t, cand, "session")
	keys(t, cand, "session number", strconv.Itoa(x.Number))
	tabTo(t, cand, "nom")
	keys(t, cand, "last name", "DUPONT ELIE")
	tabTo(t, cand, "prenom")
	keys(t, cand, "first name", "jean")
	tabTo(t, cand, "naissance")
	keys(t, cand, "birth date", "01/04/1985")
	keys(t, cand, "submit", kb.Enter)
	waitFor(t, cand, "the waiting page", `document.readyState === 'complete' && document.getElementById('candidate-state') && document.getElementById('candidate-state').dataset.state === 'present'`)

	// The board shows the candidate by itself; the invigilator confirms.
	waitFor(t, inv, "the candidate on the board", `!!document.querySelector('#board button[id^=confirm-]')`)
	if err := chromedp.Do(inv, chromedp.Click(chromedp.CSS(`#board button[id^=confirm-]`))); err != nil {
		t.Fatal(err)
	}

	// The candidate's page moves on by itself; the access code starts the test.
	waitFor(t, cand, "the access code form", `document.readyState === 'complete' && !!document.getElementById('code') && !document.getElementById('code-submit').disabled`)
	tabTo(t, cand, "code")
	keys(t, cand, "access code", strings.ToLower(x.AccessCode))
	keys(t, cand, "start", kb.Enter)
	waitFor(t, cand, "the first question", `location.pathname.indexOf('/certification/test/') === 0 && document.activeElement && document.activeElement.id === 'question-title'`)
	if p := read(t, cand, "progress", chromedp.Text(chromedp.ID("progress-text"))); p != "Question 1 sur 32" {
		t.Fatalf("progress %q", p)
	}

	// One answer with the keyboard: Tab to the first input, choose or type, Enter.
	first := read(t, cand, "first input", chromedp.Evaluate[string](`document.querySelector('#answer-area input').id`))
	tabTo(t, cand, first)
	kind := read(t, cand, "input type", chromedp.Evaluate[string](`document.getElementById('`+first+`').type`))
	if kind == "text" {
		keys(t, cand, "type an answer", "réponse")
	} else {
		keys(t, cand, "choose", " ")
	}
	keys(t, cand, "submit", kb.Enter)
	waitFor(t, cand, "the second question", `document.getElementById('progress-text').textContent === 'Question 2 sur 32'`)

	// A problem signalled, validated by the invigilator: the question is replaced.
	before := read(t, cand, "prompt", chromedp.Evaluate[string](`document.getElementById('prompt').innerHTML`))
	if err := chromedp.Do(cand, chromedp.Click(chromedp.CSS(`#alert-box summary`)), chromedp.Click(chromedp.ID("send-alert"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, cand, "the alert sent", `document.getElementById('message').textContent.indexOf('transmis au surveillant') >= 0`)
	waitFor(t, inv, "the alert on the board", `!!document.querySelector('#board button[id^=validate-]')`)
	if err := chromedp.Do(inv, chromedp.Click(chromedp.CSS(`#board button[id^=validate-]`))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, cand, "the question replaced", `document.getElementById('message').textContent.indexOf('a été remplacée') >= 0`)
	if after := read(t, cand, "prompt", chromedp.Evaluate[string](`document.getElementById('prompt').innerHTML`)); after == before {
		t.Fatalf("the prompt did not change after the validated alert: %s", after)
	}

	// A second tab of the same browser is refused.
	tab, cancel := chromedp.NewContext(cand)
	defer cancel()
	path := read(t, cand, "path", chromedp.Evaluate[string](`location.pathname`))
	if err := chromedp.Do(tab, chromedp.Navigate(env.URL+path)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, "the refusal in the second tab", `!document.getElementById('other-device').hidden`)
	cancel()

	// The rest, answered by the page's own form, to the end: no result.
	for n := 2; n <= 40; n++ {
		done := read(t, cand, "done?", chromedp.Evaluate[bool](`!document.getElementById('done').hidden`))
		if done {
			break
		}
		want := read(t, cand, "progress", chromedp.Text(chromedp.ID("progress-text")))
		read(t, cand, "answer", chromedp.Evaluate[bool](`(function(){
			var i = document.querySelector('#answer-area input');
			if (i.type === 'text') { document.querySelectorAll('#answer-area input').forEach(function(x){ x.value = 'réponse'; }); } else { i.checked = true; }
			document.getElementById('submit-answer').click(); return true; })()`))
		waitFor(t, cand, "the next question or the end", `!document.getElementById('done').hidden || document.getElementById('progress-text').textContent !== '`+want+`'`)
	}
	if txt := read(t, cand, "end", chromedp.Text(chromedp.ID("done"))); !strings.Contains(txt, "après sa publication") {
		t.Fatalf("end text %q", txt)
	}
	body := read(t, cand, "page", chromedp.Evaluate[string](`document.body.innerText`))
	if strings.Contains(body, "/ 1024") || strings.Contains(body, "Niveau") {
		t.Fatalf("the end page shows a result: %s", body)
	}
	waitFor(t, inv, "finished on the board", `document.querySelector('#board .state-finished') !== null`)

	// The référent finalizes the session with the keyboard.
	ref := browser(t)
	if err := chromedp.Do(ref, signIn(env, x.Referent.Email, testenv.TestPassword),
		chromedp.Navigate(env.URL+"/certification/centre/sessions/"+x.ID), chromedp.WaitVisible(chromedp.ID("finalize-session"))); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ref, "comment")
	keys(t, ref, "comment", "Session calme ; un signalement validé par le surveillant.")
	tabTo(t, ref, "finalize-session")
	keys(t, ref, "finalize", kb.Enter)
	waitFor(t, ref, "the finalized session", `document.readyState === 'complete' && !!document.getElementById('finalized')`)
	if st := read(t, ref, "status", chromedp.Text(chromedp.ID("session-status"))); st != "En cours d'examen par le jury" {
		t.Fatalf("status after finalizing: %q", st)
	}

	// The jury, an admin who is not a référent of the centre, publishes.
	jury := browser(t)
	admin := env.CreateUser(t, profile.RoleAdmin)
	if err := chromedp.Do(jury, signIn(env, admin.Email, testenv.TestPassword), chromedp.Navigate(env.URL+"/admin/jury"),
		chromedp.WaitVisible(chromedp.ID("jury-queue")), chromedp.Click(chromedp.CSS(`#jury-queue a[href="/admin/jury/`+x.ID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("publish-session"))); err != nil {
		t.Fatal(err)
	}
	if mark := read(t, jury, "mark", chromedp.Text(chromedp.CSS(`.jury-line .mark`))); mark != "Validée" {
		t.Fatalf("first pass mark %q", mark)
	}
	tabTo(t, jury, "publish-session")
	keys(t, jury, "publish", kb.Enter)
	waitFor(t, jury, "the published session", `document.readyState === 'complete' && !!document.getElementById('published')`)

	// The worker issues the certificate; its link verifies it.
	env.DrainQueues(t, 30*time.Second)
	if err := chromedp.Do(jury, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.jury-line a[href^="/verifier/C-"]`)),
		chromedp.Click(chromedp.CSS(`.jury-line a[href^="/verifier/C-"]`)), chromedp.WaitVisible(chromedp.ID("verdict"))); err != nil {
		t.Fatal(err)
	}
	if v := read(t, jury, "verdict", chromedp.Text(chromedp.ID("verdict"))); v != "Certificat valide" {
		t.Fatalf("verdict %q", v)
	}
	if h := read(t, jury, "holder", chromedp.Text(chromedp.ID("holder"))); h != "Jean Dupont-Élie" { // as on the list
		t.Fatalf("holder %q", h)
	}
}
