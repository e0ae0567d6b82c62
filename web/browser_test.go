package web_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ardoise/internal/testenv"
)

// browser starts a headless Chromium with a fresh profile. Without Chromium
// the test is skipped, except in CI (CI=true), where .ci/run installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("ARDOISE_CHROMIUM")
	if path == "" {
		for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if full, err := exec.LookPath(p); err == nil {
				path = full
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed: .ci/run must install it (apt-get install -y chromium)")
		}
		t.Skip("Chromium not found (apt-get install -y chromium): skipping browser tests")
	}
	parent, cancelTimeout := context.WithTimeout(context.Background(), 2*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelTimeout() })
	// Start the browser on this context, so that tabs opened from it share
	// one browser (and its cookies) and closing a tab does not end it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// signIn is the steps of signing in through the login form, ending on the profile.
func signIn(env *testenv.Env, email, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(env.URL+"/connexion"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("me-name")),
	)
}

// read runs an action that returns a value, failing t on error.
func read[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// TestBrowserAccountJourney: register → see my profile → log out → log in →
// change language → log out, in a real browser, as a person would.
func TestBrowserAccountJourney(t *testing.T) {
	env := testenv.New(t)
	ctx := browser(t)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	submit := `main form button[type=submit]`
	run("register",
		chromedp.Navigate(env.URL+"/inscription"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.Click(chromedp.ID("kind-teacher")),
		chromedp.SendKeys(chromedp.ID("name"), "Anne Lefèvre"),
		chromedp.SendKeys(chromedp.ID("email"), "anne.lefevre@ac-nantes.fr"),
		chromedp.SendKeys(chromedp.ID("password"), "une longue phrase de passe"),
		chromedp.Click(chromedp.CSS(submit)),
		chromedp.WaitVisible(chromedp.ID("me-name")),
	)
	name := read(t, ctx, "profile name", chromedp.Text(chromedp.ID("me-name")))
	if name != "Anne Lefèvre" {
		t.Fatalf("profile shows %q", name)
	}
	run("logout", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.CSS(`a[href="/connexion"]`)))
	run("login", signIn(env, "ANNE.LEFEVRE@ac-nantes.fr", "une longue phrase de passe"))
	if h1 := read(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != "Mon profil" {
		t.Errorf("French title %q", h1)
	}
	run("switch to English", chromedp.Click(chromedp.ID("switch-lang")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #me-name`)))
	lang := read(t, ctx, "lang", chromedp.Evaluate[string](`document.documentElement.lang`))
	button := read(t, ctx, "switch button", chromedp.Text(chromedp.ID("switch-lang")))
	h1 := read(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1")))
	if lang != "en" || button != "Français" || h1 == "Mon profil" {
		t.Errorf("after switching: lang %q, button %q, h1 %q", lang, button, h1)
	}
	run("logout again", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] a[href="/connexion"]`)))
	// The language choice was kept in the profile: signing in again is in English.
	if l := read(t, ctx, "lang", chromedp.Evaluate[string](`document.documentElement.lang`)); l != "en" {
		t.Errorf("language after logout %q", l)
	}
}

// TestBrowserFormErrorsAndCSRF: a form error appears next to its field; a
// POST replayed without its CSRF token is refused.
func TestBrowserFormErrorsAndCSRF(t *testing.T) {
	env := testenv.New(t)
	ctx := browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/inscription"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "Bruno Test"),
		chromedp.SendKeys(chromedp.ID("email"), "bruno@exemple.fr"),
		chromedp.SendKeys(chromedp.ID("password"), "court"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("password-error")),
	)
	if err != nil {
		t.Fatal(err)
	}
	msg := read(t, ctx, "error", chromedp.Text(chromedp.ID("password-error")))
	if !strings.Contains(msg, "12 caractères") {
		t.Errorf("password error %q", msg)
	}
	nextTo := read(t, ctx, "placement", chromedp.Evaluate[bool](`(function(){
		var e = document.getElementById('password-error'), i = document.getElementById('password');
		return e.parentElement === i.parentElement && i.getAttribute('aria-invalid') === 'true' &&
			i.getAttribute('aria-describedby').split(' ').indexOf('password-error') >= 0;
	})()`))
	if !nextTo {
		t.Error("the error is not tied to its field")
	}
	kept := read(t, ctx, "kept", chromedp.Value(chromedp.ID("name")))
	if kept != "Bruno Test" {
		t.Errorf("typed name lost: %q", kept)
	}
	// Replay the registration POST without its token, from the page itself.
	status := read(t, ctx, "replay", chromedp.Evaluate[int](`fetch('/inscription', {method: 'POST',
		headers: {'Content-Type': 'application/x-www-form-urlencoded'},
		body: 'kind=teacher&name=Bruno&email=bruno%40exemple.fr&password=une+longue+phrase+de+passe'}).then(r => r.status)`,
		chromedp.EvalAwaitPromise))
	if status != 403 {
		t.Errorf("POST without CSRF token: %d, want 403", status)
	}
	// And the same form with its token removed, submitted by a click.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('main form input[name=_csrf]').remove()`),
		chromedp.SetValue(chromedp.ID("password"), "une longue phrase de passe"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.lead`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if h1 := read(t, ctx, "h1", chromedp.Text(chromedp.CSS("h1"))); h1 != "Accès refusé" {
		t.Errorf("page after tokenless submit: %q", h1)
	}
	if n := userCount(t, env); n != 0 {
		t.Errorf("%d accounts created without a CSRF token", n)
	}
}
