package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"ardoise/campaigns"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// tabTo presses Tab until the element with id has the focus, as a person
// moving through the page with the keyboard does.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	for range 80 {
		focused := read(t, ctx, "focus", chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
		if focused == id {
			return
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("Tab towards #%s: %v", id, err)
		}
	}
	t.Fatalf("#%s never got the focus with Tab", id)
}

// keys types on the focused element.
func keys(t *testing.T, ctx context.Context, what, s string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(s)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestBrowserJoinCampaignWithKeyboard: with the keyboard only, a visitor
// follows an organiser's link, signs in and comes back to the prefilled
// form; then, signed in, types an unknown code and gets the French error
// tied to the field, which has the focus; then types the right code
// (lower case, with a dash), presses Enter and lands on the first question.
func TestBrowserJoinCampaignWithKeyboard(t *testing.T) {
	env := testenv.New(t)
	camp := newCampaign(t, env, campaigns.NewCampaign{Title: "Avant la formation"})
	teacher := env.CreateUser(t, profile.RoleLearner)
	ctx := browser(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/campagne?code="+camp.Code), chromedp.WaitVisible(chromedp.ID("join-login"))); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "join-login")
	keys(t, ctx, "follow the sign-in link", kb.Enter)
	waitFor(t, ctx, "the sign-in form", `location.pathname === '/connexion' && document.readyState === 'complete' && !!document.getElementById('email')`)
	tabTo(t, ctx, "email")
	keys(t, ctx, "type the address", teacher.Email)
	tabTo(t, ctx, "password")
	keys(t, ctx, "type the password", testenv.TestPassword)
	keys(t, ctx, "sign in", kb.Enter)
	waitFor(t, ctx, "back to the join form", `location.pathname === '/campagne' && document.readyState === 'complete' && !!document.getElementById('code')`)
	if v := read(t, ctx, "prefilled", chromedp.Value(chromedp.ID("code"))); v != camp.Code {
		t.Fatalf("the form came back with %q, want %q", v, camp.Code)
	}

	// An unknown code: the error in French next to the field, the focus on it.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/campagne"), chromedp.WaitVisible(chromedp.ID("code"))); err != nil {
		t.Fatal(err)
	}
	tabTo(t, ctx, "code")
	keys(t, ctx, "type an unknown code", "AAAA-AAAA")
	keys(t, ctx, "submit", kb.Enter)
	waitFor(t, ctx, "the error", `document.readyState === 'complete' && !!document.getElementById('code-error')`)
	msg := read(t, ctx, "error", chromedp.Text(chromedp.ID("code-error")))
	if !strings.Contains(msg, "Aucune campagne ne porte ce code") {
		t.Errorf("error message %q", msg)
	}
	state := read(t, ctx, "field state", chromedp.Evaluate[string](`(function(){
		var i = document.getElementById('code'), e = document.getElementById('code-error'), s = document.querySelector('.error-summary[role=alert] a[href="#code"]');
		return [document.activeElement === i, i.getAttribute('aria-invalid'), i.getAttribute('aria-describedby'), e.parentElement === i.parentElement, !!s, i.value].join('|');
	})()`))
	if state != "true|true|code-error code-hint|true|true|AAAA-AAAA" {
		t.Errorf("after the error (focused|aria-invalid|describedby|next to|summary|value): %s", state)
	}

	// The right code, typed over the wrong one (End, then Backspace: the
	// caret of a focused field is at its start); Enter submits.
	keys(t, ctx, "erase", kb.End+strings.Repeat(kb.Backspace, len("AAAA-AAAA")))
	keys(t, ctx, "type the code", strings.ToLower(camp.Code[:4]+"-"+camp.Code[4:]))
	keys(t, ctx, "submit", kb.Enter)
	waitFor(t, ctx, "the first question", `location.pathname.indexOf('/positionnement/') === 0 && document.readyState === 'complete' && !!document.getElementById('question-form')`)
	if p := read(t, ctx, "progress", chromedp.Text(chromedp.ID("progress-text"))); !strings.HasPrefix(p, "Question 1 ") {
		t.Errorf("progress %q", p)
	}
}
