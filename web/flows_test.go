package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"ardoise/assessments"
	"ardoise/internal/mail"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// waitMail waits for the worker to put a mail to address in the outbox.
func waitMail(t *testing.T, env *testenv.Env, address, subject string) mail.Message {
	t.Helper()
	var found mail.Message
	testenv.Eventually(t, 15*time.Second, "mail "+subject+" to "+address, func() bool {
		msgs, err := env.Sys.Mailer.To(context.Background(), address)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.Contains(m.Subject, subject) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

var linkRe = regexp.MustCompile(`http://127\.0\.0\.1(/[^\s]+)`)

func linkIn(t *testing.T, m mail.Message) string {
	t.Helper()
	l := linkRe.FindStringSubmatch(m.Body)
	if l == nil {
		t.Fatalf("no link in mail: %s", m.Body)
	}
	return l[1]
}

func get(t *testing.T, env *testenv.Env, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(env.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestRegisterVerifyAndAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		body := `{"email":"Claire.Durand@AC-Lyon.fr","password":"une phrase de passe","name":"Claire Durand","handle":"claire_d","kind":"teacher",
			"territory":{"academie":"Lyon","departement":"69","circonscription":"Lyon 7","uai":"0691234a"}}`
		resp, err := http.Post(env.URL+"/api/v1/auth/register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || !strings.Contains(string(raw), `"id":"`) {
			t.Fatalf("register: %d %s", resp.StatusCode, raw)
		}
		// Token, me, revoke.
		resp, _ = http.Post(env.URL+"/api/v1/auth/token", "application/json",
			strings.NewReader(`{"email":"claire.durand@ac-lyon.fr","password":"une phrase de passe"}`))
		var tok struct {
			Token     string `json:"token"`
			ExpiresAt string `json:"expiresAt"`
		}
		json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if _, err := time.Parse(time.RFC3339, tok.ExpiresAt); err != nil || !strings.HasPrefix(tok.Token, "ard_") {
			t.Fatalf("token answer: %+v", tok)
		}
		me := func() (int, map[string]any) {
			req, _ := http.NewRequest("GET", env.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", "Bearer "+tok.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			m := map[string]any{}
			json.NewDecoder(resp.Body).Decode(&m)
			return resp.StatusCode, m
		}
		status, m := me()
		if status != 200 || m["email"] != "Claire.Durand@AC-Lyon.fr" || m["handle"] != "claire_d" || m["emailVerified"] != false || m["kind"] != "teacher" {
			t.Fatalf("me: %d %v", status, m)
		}
		terr, _ := m["territory"].(map[string]any)
		if terr["academie"] != "lyon" || terr["uai"] != "0691234A" {
			t.Errorf("territory not normalised: %v", terr)
		}
		// The welcome mail carries the verification link.
		msg := waitMail(t, env, "claire.durand@ac-lyon.fr", "Bienvenue")
		c := env.Client()
		if resp, body := get(t, env, c, linkIn(t, msg)); resp.StatusCode != 200 || !strings.Contains(body, "adresse est vérifiée") {
			t.Fatalf("verify: %d %.300s", resp.StatusCode, body)
		}
		if _, m := me(); m["emailVerified"] != true {
			t.Errorf("email not verified after the link: %v", m)
		}
		// The worker counts a task once its handler has returned, a moment
		// after the handler wrote the mail the test waited for.
		testenv.Eventually(t, 10*time.Second, "/metrics counting the mail task and the registration", func() bool {
			_, metrics := get(t, env, env.Client(), "/metrics")
			return strings.Contains(metrics, `ardoise_tasks_processed_total{type="profile:send-mail"}`) &&
				strings.Contains(metrics, `ardoise_http_requests_total{method="POST",route="/api/v1/auth/register",status="201"} 1`)
		})
		if resp, _ := get(t, env, c, "/verifier-email?jeton=forge"); resp.StatusCode != 400 {
			t.Errorf("forged verification link: %d", resp.StatusCode)
		}
		// Revoking the token ends it.
		req, _ := http.NewRequest("DELETE", env.URL+"/api/v1/auth/token", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, _ = http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != 204 {
			t.Fatalf("revoke: %d", resp.StatusCode)
		}
		if status, _ := me(); status != 401 {
			t.Errorf("revoked token still works: %d", status)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		c := env.Client()
		resp, body := env.PostForm(t, c, "/mot-de-passe/oubli", url.Values{"email": {strings.ToUpper(u.Email)}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Si un compte est associé") {
			t.Fatalf("forgot: %d", resp.StatusCode)
		}
		// An unknown address gets the same answer and no mail.
		resp, body2 := env.PostForm(t, c, "/mot-de-passe/oubli", url.Values{"email": {"personne@exemple.fr"}})
		if resp.StatusCode != 200 || !strings.Contains(body2, "Si un compte est associé") {
			t.Fatalf("forgot unknown: %d", resp.StatusCode)
		}
		link := linkIn(t, waitMail(t, env, u.Email, "nouveau mot de passe"))
		if resp, body := get(t, env, c, link); resp.StatusCode != 200 || !strings.Contains(body, `name="password"`) {
			t.Fatalf("reset form: %d", resp.StatusCode)
		}
		jeton, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
		// Too short: error by the field, link still valid.
		resp, body = env.PostForm(t, c, "/mot-de-passe/nouveau", url.Values{"jeton": jeton["jeton"], "password": {"court"}})
		if resp.StatusCode != 422 || !strings.Contains(body, `id="password-error"`) {
			t.Fatalf("short reset: %d", resp.StatusCode)
		}
		resp, _ = env.PostForm(t, c, "/mot-de-passe/nouveau", url.Values{"jeton": jeton["jeton"], "password": {"mon nouveau mot de passe"}})
		if resp.StatusCode != 303 {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		// Single use.
		resp, body = env.PostForm(t, env.Client(), "/mot-de-passe/nouveau", url.Values{"jeton": jeton["jeton"], "password": {"encore un autre mot de passe"}})
		if resp.StatusCode != 400 || !strings.Contains(body, "plus valable") {
			t.Fatalf("second use of the link: %d", resp.StatusCode)
		}
		if _, err := env.Sys.Profile.Authenticate(testenv.Ctx(t), u.Email, testenv.TestPassword, "10.0.0.1"); err == nil {
			t.Error("old password still works")
		}
		if _, err := env.Sys.Profile.Authenticate(testenv.Ctx(t), u.Email, "mon nouveau mot de passe", "10.0.0.1"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
	})
}

func TestLoginBackoff(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		try := func(password string) *http.Response {
			resp, err := http.Post(env.URL+"/api/v1/auth/token", "application/json",
				strings.NewReader(`{"email":"`+u.Email+`","password":"`+password+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp
		}
		for i := 0; i < 5; i++ {
			if r := try("mauvais mot de passe"); r.StatusCode != 401 {
				t.Fatalf("failure %d: status %d", i+1, r.StatusCode)
			}
		}
		r := try(testenv.TestPassword)
		if r.StatusCode != 429 {
			t.Fatalf("after 5 failures: %d, want 429", r.StatusCode)
		}
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 900 {
			t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		// The web form is limited by the same counters, with a French page.
		c := env.Client()
		resp, body := env.PostForm(t, c, "/connexion", url.Values{"email": {u.Email}, "password": {testenv.TestPassword}})
		if resp.StatusCode != 429 || !strings.Contains(body, "Trop de tentatives") {
			t.Errorf("web login after 5 failures: %d", resp.StatusCode)
		}
		// From another address the teacher is not locked out.
		if _, err := env.Sys.Profile.Authenticate(testenv.Ctx(t), u.Email, testenv.TestPassword, "192.0.2.7"); err != nil {
			t.Errorf("another IP is locked out too: %v", err)
		}
	})
}

func TestAdminRoleAndSuspension(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		admin := env.CreateUser(t, profile.RoleAdmin)
		target := env.CreateUser(t, profile.RoleLearner)
		ac := env.LoggedIn(t, admin)
		tc := env.LoggedIn(t, target)
		// A reason is required.
		resp, body := env.PostForm(t, ac, "/admin/utilisateurs/"+target.ID+"/role", url.Values{"role": {"trainer"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Ce champ est obligatoire") {
			t.Fatalf("role without reason: %d", resp.StatusCode)
		}
		resp, _ = env.PostForm(t, ac, "/admin/utilisateurs/"+target.ID+"/role", url.Values{"role": {"trainer"}, "reason": {"formatrice Canopé"}})
		if resp.StatusCode != 303 {
			t.Fatalf("role: %d", resp.StatusCode)
		}
		resp, _ = env.PostForm(t, ac, "/admin/utilisateurs/"+target.ID+"/suspension", url.Values{"action": {"suspend"}, "reason": {"usurpation signalée"}})
		if resp.StatusCode != 303 {
			t.Fatalf("suspend: %d", resp.StatusCode)
		}
		if resp, _ := get(t, env, tc, "/profil"); resp.StatusCode != 303 {
			t.Errorf("suspended user's session still open: %d", resp.StatusCode)
		}
		resp, body = env.PostForm(t, env.Client(), "/connexion", url.Values{"email": {target.Email}, "password": {testenv.TestPassword}})
		if resp.StatusCode != 403 || !strings.Contains(body, "suspendu") {
			t.Errorf("suspended login: %d", resp.StatusCode)
		}
		_, page := get(t, env, ac, "/admin/journal")
		for _, want := range []string{"Changement de rôle", "learner → trainer", "formatrice Canopé", "Suspension", "usurpation signalée", admin.Email, target.Email} {
			if !strings.Contains(page, want) {
				t.Errorf("audit page lacks %q", want)
			}
		}
		// An admin cannot lock themselves out.
		resp, _ = env.PostForm(t, ac, "/admin/utilisateurs/"+admin.ID+"/suspension", url.Values{"action": {"suspend"}, "reason": {"test"}})
		if resp.StatusCode != 403 {
			t.Errorf("self-suspension: %d", resp.StatusCode)
		}
		_, page = get(t, env, ac, "/admin/utilisateurs?q="+url.QueryEscape(target.Email[:6]))
		if !strings.Contains(page, target.Email) || !strings.Contains(page, "Suspendu") {
			t.Errorf("search does not find the suspended user")
		}
	})
}

func TestProfileEditExportAndDelete(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		c := env.LoggedIn(t, u)
		if _, err := env.Sys.Assessments.Start(testenv.Ctx(t), assessments.Owner{UserID: u.ID}, assessments.Scope{Framework: "crcn"}, false); err != nil {
			t.Fatal(err)
		}
		resp, _ := env.PostForm(t, c, "/profil/modifier", url.Values{"name": {"Nouveau Nom"}, "handle": {"nouveau_nom"},
			"territory.academie": {"grenoble"}, "territory.departement": {"38"}, "territory.circonscription": {"Grenoble 2"}, "territory.uai": {"0381234B"}})
		if resp.StatusCode != 303 {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		resp, raw := get(t, env, c, "/profil/donnees")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		var exp struct {
			Account struct {
				Email            string `json:"email"`
				Name             string `json:"name"`
				TerritoryHistory []struct {
					Territory profile.Territory `json:"territory"`
				} `json:"territoryHistory"`
			} `json:"account"`
		}
		if err := json.Unmarshal([]byte(raw), &exp); err != nil {
			t.Fatal(err)
		}
		if exp.Account.Email != u.Email || exp.Account.Name != "Nouveau Nom" || len(exp.Account.TerritoryHistory) != 1 ||
			exp.Account.TerritoryHistory[0].Territory.Academie != "lyon" {
			t.Errorf("export: %+v", exp.Account)
		}
		if strings.Contains(raw, "argon2") {
			t.Error("the export contains the password hash")
		}
		if !strings.Contains(raw, `"positioningTests"`) || !strings.Contains(raw, `"ContentVersion"`) {
			t.Error("the export lacks the positioning tests")
		}
		resp, body := env.PostForm(t, c, "/profil/supprimer", url.Values{"password": {"pas le bon"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "incorrect") {
			t.Fatalf("delete with wrong password: %d", resp.StatusCode)
		}
		resp, _ = env.PostForm(t, c, "/profil/supprimer", url.Values{"password": {testenv.TestPassword}})
		if resp.StatusCode != 200 {
			t.Fatalf("delete: %d", resp.StatusCode)
		}
		stored, err := env.Sys.Profile.User(testenv.Ctx(t), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Email != "" || stored.Name != profile.DeletedName || stored.PasswordHash != "" || !stored.Territory.IsZero() {
			t.Errorf("personal data kept: %+v", stored)
		}
		if resp, _ := get(t, env, c, "/profil"); resp.StatusCode != 303 {
			t.Errorf("session survives deletion: %d", resp.StatusCode)
		}
		if tests, _ := env.Sys.Assessments.ExportFor(testenv.Ctx(t), u.ID); len(tests) != 0 {
			t.Errorf("%d tests kept after erasure", len(tests))
		}
		// The address is free again.
		if _, err := env.Sys.Profile.Create(testenv.Ctx(t), profile.CreateInput{Role: profile.RoleLearner,
			RegisterInput: profile.RegisterInput{Email: u.Email, Password: testenv.TestPassword, Name: "Re", Kind: "parent"}}); err != nil {
			t.Errorf("address not freed: %v", err)
		}
	})
}

func TestSessionSurvivesRestart(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		u := env.CreateUser(t, profile.RoleLearner)
		c := env.LoggedIn(t, u)
		// A second app over the same store and key file, as after a restart.
		sys2 := env.Restarted(t)
		app2, err := sys2.Web()
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", "/profil", nil)
		for _, ck := range c.Jar.Cookies(mustURL(env.URL)) {
			req.AddCookie(ck)
		}
		resp, err := app2.Fiber().Test(req, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("after restart: %d", resp.StatusCode)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestPagesSecurityAndWeight(t *testing.T) {
	env := testenv.New(t)
	admin := env.CreateUser(t, profile.RoleAdmin)
	c := env.LoggedIn(t, admin)
	css := 0
	for _, path := range []string{"/", "/inscription", "/connexion", "/mot-de-passe/oubli"} {
		resp, body := get(t, env, env.Client(), path)
		checkPage(t, path, resp, body, &css, env)
	}
	for _, path := range []string{"/profil", "/profil/modifier", "/profil/supprimer", "/admin/utilisateurs", "/admin/journal", "/admin/mails"} {
		resp, body := get(t, env, c, path)
		checkPage(t, path, resp, body, &css, env)
	}
	resp, body := get(t, env, env.Client(), "/connexion")
	for _, ck := range resp.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %s: HttpOnly %t SameSite %v", ck.Name, ck.HttpOnly, ck.SameSite)
		}
	}
	_ = body
}

var cssRe = regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`)

func checkPage(t *testing.T, path string, resp *http.Response, body string, css *int, env *testenv.Env) {
	t.Helper()
	if resp.StatusCode != 200 {
		t.Errorf("%s: %d", path, resp.StatusCode)
		return
	}
	h := resp.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: CSP %q", path, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: security headers missing", path)
	}
	for _, landmark := range []string{`<a class="skip" href="#contenu">`, `<main id="contenu"`, `<nav aria-label=`, `<footer`, `<html lang="fr">`} {
		if !strings.Contains(body, landmark) {
			t.Errorf("%s lacks %q", path, landmark)
		}
	}
	if *css == 0 {
		m := cssRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no hashed stylesheet", path)
		}
		r, b := get(t, env, env.Client(), m[1])
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("stylesheet: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
		}
		*css = len(b)
	}
	if total := len(body) + *css; total > 60*1024 {
		t.Errorf("%s weighs %d bytes with its stylesheet, over 60 KB", path, total)
	}
}

func TestInspectorSeesScope(t *testing.T) {
	env := testenv.New(t)
	insp := env.CreateUser(t, profile.RoleInspector)
	_, body := get(t, env, env.LoggedIn(t, insp), "/profil")
	if !strings.Contains(body, `<dd id="me-scope">Lyon · 69 (Département)</dd>`) {
		t.Errorf("inspector's profile does not show the scope")
	}
	_, body = get(t, env, env.LoggedIn(t, env.CreateUser(t, profile.RoleTrainer)), "/profil")
	if strings.Contains(body, "me-scope") {
		t.Error("a trainer's profile shows an inspection scope")
	}
}

// TestTestPagesWeight: the question and result pages stay light and safe.
func TestTestPagesWeight(t *testing.T) {
	env := testenv.New(t)
	c := env.Client()
	css := 0
	resp, body := get(t, env, c, "/positionnement")
	checkPage(t, "/positionnement", resp, body, &css, env)
	resp, _ = env.PostForm(t, c, "/positionnement", url.Values{"framework": {"crcn"}})
	if resp.StatusCode != 303 {
		t.Fatalf("start: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	resp, body = get(t, env, c, loc)
	checkPage(t, loc, resp, body, &css, env)
	if !strings.Contains(body, `name="challenge"`) || !strings.Contains(body, `id="skip"`) {
		t.Fatal("no question on the page")
	}
	if strings.Contains(body, "&lt;p&gt;") || !strings.Contains(body, `<div class="prompt" id="prompt"><p>`) {
		t.Error("the prompt's HTML is escaped instead of rendered")
	}
	// Answer everything with the form, skipping.
	for i := 0; i < 40; i++ {
		m := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			break
		}
		resp, _ = env.PostForm(t, c, loc+"/reponse", url.Values{"challenge": {m[1]}, "skip": {"1"}})
		next := resp.Header.Get("Location")
		resp, body = get(t, env, c, next)
		if strings.HasSuffix(next, "/resultat") {
			break
		}
	}
	if !strings.Contains(body, `id="score"`) || !strings.Contains(body, `<svg class="chart"`) || !strings.Contains(body, `id="private-link"`) {
		t.Fatalf("no result page: %.300s", body)
	}
	checkPage(t, "result", resp, body, &css, env)
	if strings.Contains(body, "&lt;p&gt;") {
		t.Error("the result page escapes the explanations' HTML")
	}
	t.Logf("result page %d bytes, stylesheet %d", len(body), css)
}
