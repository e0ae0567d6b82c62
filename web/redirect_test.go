package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// hostile are "suite=" values that once made a header or left the site.
var hostile = []string{
	"/\r\nSet-Cookie: ardoise_session=volee",
	"/\t/127.0.0.1:1/x",
	"/\\127.0.0.1:1/x",
	"//127.0.0.1:1/x",
	"/%2F%2F127.0.0.1:1/x",
	"https://127.0.0.1:1/x",
}

// TestRedirectTargetsStayOnSite: the login page (signed in), the login form
// and the language form redirect only to clean local paths, and nothing from
// the target reaches another header.
func TestRedirectTargetsStayOnSite(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	u := env.CreateUser(t, profile.RoleLearner)
	check := func(what string, resp *http.Response, want string) {
		t.Helper()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d", what, resp.StatusCode)
		}
		if loc := resp.Header.Get("Location"); loc != want {
			t.Errorf("%s: Location %q, want %q", what, loc, want)
		}
		for _, ck := range resp.Header.Values("Set-Cookie") {
			if strings.Contains(ck, "volee") {
				t.Errorf("%s: injected cookie %q", what, ck)
			}
		}
	}
	for _, s := range hostile {
		c := env.Client()
		resp, _ := env.PostForm(t, c, "/connexion", url.Values{"email": {u.Email}, "password": {testenv.TestPassword}, "suite": {s}})
		check("login form, suite="+s, resp, "/profil")
		resp, err := c.Get(env.URL + "/connexion?suite=" + url.QueryEscape(s))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		check("login page, suite="+s, resp, "/profil")
		resp, _ = env.PostForm(t, c, "/langue", url.Values{"lang": {"fr"}, "suite": {s}})
		check("language, suite="+s, resp, "/")
	}
	c := env.LoggedIn(t, u)
	resp, err := c.Get(env.URL + "/connexion?suite=" + url.QueryEscape("/modules?q=é"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	check("a clean target", resp, "/modules?q=%C3%A9")
}

// TestBrowserRedirectAttacks: a signed-in victim who follows the attacker's
// links stays on Ardoise and keeps their own session.
func TestBrowserRedirectAttacks(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	var visited, attacked atomic.Int64 // the control page, and the attacker's /x
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/controle":
			visited.Add(1)
		case "/x":
			attacked.Add(1)
		}
		w.Write([]byte("<title>ailleurs</title>autre site"))
	}))
	defer elsewhere.Close()
	other := strings.TrimPrefix(elsewhere.URL, "http://")
	u := env.CreateUser(t, profile.RoleLearner)
	ctx := browser(t)
	if _, err := chromedp.Run(ctx, signIn(env, u.Email, testenv.TestPassword)); err != nil {
		t.Fatal(err)
	}
	session := func() string {
		res := read(t, ctx, "cookies", chromedp.Action[network.GetCookiesResult](
			func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
				return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{env.URL}})
			}))
		for _, ck := range res.Cookies {
			if ck.Name == "ardoise_session" {
				return ck.Value
			}
		}
		return ""
	}
	mine := session()
	if mine == "" {
		t.Fatal("no session cookie after signing in")
	}
	// The control: a plain link to the other site is followed, so the
	// assertions below can fail.
	read(t, ctx, "control", chromedp.Navigate(elsewhere.URL+"/controle"))
	if visited.Load() != 1 {
		t.Fatalf("control visit not seen: %d", visited.Load())
	}
	for _, link := range []string{
		"/connexion?suite=/%09/" + other + "/x",
		"/connexion?suite=/%5C" + other + "/x",
		"/connexion?suite=/%0d%0aSet-Cookie:%20ardoise_session=volee;%20Path=/",
	} {
		read(t, ctx, "follow "+link, chromedp.Navigate(env.URL+link))
		loc := read(t, ctx, "location", chromedp.Location())
		if !strings.HasPrefix(loc, env.URL+"/") {
			t.Errorf("%s led to %s", link, loc)
		}
		if got := session(); got != mine {
			t.Errorf("%s changed the session cookie to %q", link, got)
		}
	}
	if n := attacked.Load(); n != 0 {
		t.Errorf("the attacker's page was visited %d times", n)
	}
}
