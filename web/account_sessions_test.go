package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// copyCookies returns a new client holding the cookies of c: what an
// attacker who copied them from a shared computer or a log would hold.
func copyCookies(t *testing.T, env *testenv.Env, c *http.Client) *http.Client {
	t.Helper()
	u, _ := url.Parse(env.URL)
	thief := env.Client()
	thief.Jar.SetCookies(u, c.Jar.Cookies(u))
	if len(c.Jar.Cookies(u)) == 0 {
		t.Fatal("no cookie to copy")
	}
	return thief
}

// signedIn reports whether c is signed in (the profile page answers 200).
func signedIn(t *testing.T, env *testenv.Env, c *http.Client) bool {
	t.Helper()
	resp, _ := get(t, env, c, "/profil")
	return resp.StatusCode == http.StatusOK
}

// TestLogoutEndsThatSession: a cookie copied before logout no longer signs
// anyone in, while the person's other sessions go on.
func TestLogoutEndsThatSession(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		laptop := env.LoggedIn(t, u)
		phone := env.LoggedIn(t, u)
		thief := copyCookies(t, env, laptop)
		if !signedIn(t, env, thief) {
			t.Fatal("the copied cookie does not work before logout: the test proves nothing")
		}
		if resp, _ := env.PostForm(t, laptop, "/deconnexion", nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		if signedIn(t, env, thief) {
			t.Error("a cookie copied before logout still signs in")
		}
		if !signedIn(t, env, phone) {
			t.Error("logout on one device ended the session on another")
		}
	})
}

// TestEpochEndsSessionsAndTokens: "déconnecter partout", a password change,
// a password reset and a suspension end every session and every API token.
func TestEpochEndsSessionsAndTokens(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		admin := env.CreateUser(t, profile.RoleAdmin)
		ac := env.LoggedIn(t, admin)
		for _, tc := range []struct {
			name string
			// end does it as the person (client c) or to them, and returns
			// the client that should still be signed in, if any.
			end func(t *testing.T, u *profile.User, c *http.Client) *http.Client
		}{
			{"logout everywhere", func(t *testing.T, u *profile.User, c *http.Client) *http.Client {
				if resp, _ := env.PostForm(t, c, "/profil/deconnecter-partout", nil); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("logout everywhere: %d", resp.StatusCode)
				}
				return nil
			}},
			{"password change", func(t *testing.T, u *profile.User, c *http.Client) *http.Client {
				resp, _ := env.PostForm(t, c, "/profil/mot-de-passe", url.Values{"current": {testenv.TestPassword}, "password": {"un tout nouveau mot de passe"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("password change: %d", resp.StatusCode)
				}
				return c // the session that changed it goes on
			}},
			{"password reset", func(t *testing.T, u *profile.User, c *http.Client) *http.Client {
				anon := env.Client()
				env.PostForm(t, anon, "/mot-de-passe/oubli", url.Values{"email": {u.Email}})
				link := linkIn(t, waitMail(t, env, u.Email, "nouveau mot de passe"))
				jeton, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
				resp, _ := env.PostForm(t, anon, "/mot-de-passe/nouveau", url.Values{"jeton": jeton["jeton"], "password": {"un mot de passe retrouvé"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("reset: %d", resp.StatusCode)
				}
				return anon
			}},
			{"suspension", func(t *testing.T, u *profile.User, c *http.Client) *http.Client {
				resp, _ := env.PostForm(t, ac, "/admin/utilisateurs/"+u.ID+"/suspension", url.Values{"action": {"suspend"}, "reason": {"compte compromis"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("suspend: %d", resp.StatusCode)
				}
				// Reactivated at once: the old sessions and tokens stay dead.
				resp, _ = env.PostForm(t, ac, "/admin/utilisateurs/"+u.ID+"/suspension", url.Values{"action": {"reactivate"}, "reason": {"mot de passe changé"}})
				if resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("reactivate: %d", resp.StatusCode)
				}
				return nil
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := env.CreateUser(t, profile.RoleLearner)
				c := env.LoggedIn(t, u)
				other := env.LoggedIn(t, u)
				api := apiClientFor(t, env, u)
				if st, _, raw := api.call("GET", "/api/v1/me", nil); st != http.StatusOK {
					t.Fatalf("token before: %d %s", st, raw)
				}
				still := tc.end(t, u, c)
				if st, _, raw := api.call("GET", "/api/v1/me", nil); st != http.StatusUnauthorized || !strings.Contains(raw, `"unauthenticated"`) {
					t.Errorf("API token after %s: %d %s", tc.name, st, raw)
				}
				if signedIn(t, env, other) {
					t.Errorf("another session survives %s", tc.name)
				}
				if still != nil && !signedIn(t, env, still) {
					t.Errorf("the session that did the %s was ended", tc.name)
				}
				// A token made afterwards works.
				fresh, err := env.Sys.Profile.User(testenv.Ctx(t), u.ID)
				if err != nil {
					t.Fatal(err)
				}
				if st, _, raw := apiClientFor(t, env, fresh).call("GET", "/api/v1/me", nil); st != http.StatusOK {
					t.Errorf("new token after %s: %d %s", tc.name, st, raw)
				}
			})
		}
	})
}

// TestBearerRefusedOutsideAPI: an API token opens only /api/v1; on web
// routes (new tokens, the RGPD export…) it gets a JSON 403 before anything.
func TestBearerRefusedOutsideAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		api := apiClientFor(t, env, u)
		for _, r := range []struct{ method, path string }{
			{"POST", "/profil/jetons"},
			{"GET", "/profil/donnees"},
			{"GET", "/profil"},
			{"POST", "/profil/deconnecter-partout"},
			{"GET", "/admin/utilisateurs"},
		} {
			st, body, raw := api.call(r.method, r.path, nil)
			e, _ := body["error"].(map[string]any)
			if st != http.StatusForbidden || e == nil || e["code"] != "bearer_web_only" {
				t.Errorf("%s %s with a bearer token: %d %s", r.method, r.path, st, raw)
			}
		}
		if toks, err := env.Sys.Profile.Tokens(testenv.Ctx(t), u.ID); err != nil || len(toks) != 1 {
			t.Errorf("tokens after the attempts: %d %v", len(toks), err)
		}
		if st, _, raw := api.call("GET", "/api/v1/me", nil); st != http.StatusOK {
			t.Errorf("the token no longer works on the API: %d %s", st, raw)
		}
		// A scraper may read the metrics with an admin's token.
		ops := apiClientFor(t, env, env.CreateUser(t, profile.RoleAdmin))
		if st, _, raw := ops.call("GET", "/metrics", nil); st != http.StatusOK || !strings.Contains(raw, "ardoise_http_requests_total") {
			t.Errorf("metrics with an admin's token: %d %.200s", st, raw)
		}
	})
}
