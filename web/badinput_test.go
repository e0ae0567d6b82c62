package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// scenario is one HTTP request and what its answer must and must not say.
type scenario struct {
	name        string
	method      string
	path        string
	contentType string
	body        string
	wantStatus  int
	contains    []string
	notContains []string
	bearer      bool // send a real API token of an existing account
}

// userCount counts the accounts, as the admin's user list pages through them.
func userCount(t *testing.T, env *testenv.Env) int64 {
	t.Helper()
	var n int64
	for after := ""; ; {
		page, err := env.Sys.Profile.ListUsers(testenv.Ctx(t), "", after, 500)
		if err != nil {
			t.Fatal(err)
		}
		n += int64(len(page.Users))
		if page.Next == "" {
			return n
		}
		after = page.Next
	}
}

// TestBadInput sends what a careless or hostile client sends: each gets a
// clear error and nothing stored changes.
func TestBadInput(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		existing := env.CreateUser(t, profile.RoleLearner)
		token, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), existing, "badinput")
		if err != nil {
			t.Fatal(err)
		}
		reg := func(fields string) string {
			return `{"password":"un mot de passe assez long","name":"Anne Test","kind":"teacher",` + fields + `}`
		}
		scenarios := []scenario{
			{name: "malformed email", method: "POST", path: "/api/v1/auth/register", body: reg(`"email":"anne@@exemple"`),
				wantStatus: 400, contains: []string{`"code":"invalid"`, `"email":"Saisissez une adresse électronique valide`}},
			{name: "short password", method: "POST", path: "/api/v1/auth/register",
				body:       `{"email":"anne@exemple.fr","password":"court","name":"Anne","kind":"teacher"}`,
				wantStatus: 400, contains: []string{`"password":"Le mot de passe doit contenir au moins 12 caractères."`}},
			{name: "10 KB name", method: "POST", path: "/api/v1/auth/register",
				body:       `{"email":"anne@exemple.fr","password":"un mot de passe assez long","kind":"teacher","name":"` + strings.Repeat("é", 5000) + `"}`,
				wantStatus: 400, contains: []string{`"name":"Ce texte est trop long."`}},
			{name: "duplicate email in another case", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"` + strings.ToUpper(existing.Email) + `"`),
				wantStatus: 400, contains: []string{`"email":"Un compte existe déjà avec cette adresse`}},
			{name: "wrong JSON type", method: "POST", path: "/api/v1/auth/register", body: reg(`"email":42`),
				wantStatus: 400, contains: []string{`"email":"Ce champ n'a pas le bon type."`}},
			{name: "unknown field", method: "POST", path: "/api/v1/auth/register", body: reg(`"email":"b@exemple.fr","admin":true`),
				wantStatus: 400, contains: []string{`"admin":"Ce champ n'est pas attendu."`}},
			{name: "not JSON", method: "POST", path: "/api/v1/auth/register", body: `email=a`,
				wantStatus: 400, contains: []string{`"body":"Le corps de la requête n'est pas du JSON valide."`}},
			{name: "JSON without content type", method: "POST", path: "/api/v1/auth/register", contentType: "text/plain", body: reg(`"email":"c@exemple.fr"`),
				wantStatus: 400, contains: []string{`"code":"invalid"`, `application/json`}},
			{name: "unknown territory", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"d@exemple.fr","territory":{"academie":"Atlantide","departement":"999","uai":"123"}`),
				wantStatus: 400, contains: []string{`"territory.academie"`, `"territory.departement"`, `"territory.uai"`}},
			{name: "unknown API route", method: "GET", path: "/api/v1/nulle-part", wantStatus: 404, contains: []string{`"code":"not_found"`}},
			{name: "unknown page", method: "GET", path: "/nulle-part", wantStatus: 404, contains: []string{"Page introuvable", `lang="fr"`}},
			{name: "token with wrong password", method: "POST", path: "/api/v1/auth/token",
				body: `{"email":"` + existing.Email + `","password":"pas le bon mot de passe"}`, wantStatus: 401,
				contains: []string{`"code":"unauthenticated"`}, notContains: []string{"token\":\"ard_"}},
			{name: "forged bearer token", method: "GET", path: "/api/v1/me", wantStatus: 401, contains: []string{`"code":"unauthenticated"`}},
			{name: "display name mixing Greek and Latin in one word", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"u1@exemple.fr","displayName":"\u0391dmin"`),
				wantStatus: 400, contains: []string{`"displayName":"Un même mot mélange des alphabets`}},
			{name: "display name with a right-to-left override", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"u2@exemple.fr","displayName":"Anne\u202Egnp.exe"`),
				wantStatus: 400, contains: []string{`"displayName":"Ce texte contient des caractères invisibles`}},
			{name: "display name with a zero-width space", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"u3@exemple.fr","displayName":"Ad\u200Bmin"`),
				wantStatus: 400, contains: []string{`"displayName":"Ce texte contient des caractères invisibles`}},
			{name: "name with a line break", method: "POST", path: "/api/v1/auth/register",
				body:       `{"email":"u4@exemple.fr","password":"un mot de passe assez long","kind":"teacher","name":"Anne\r\nReply-To: x@y.fr"}`,
				wantStatus: 400, contains: []string{`"name":"Ce texte contient des caractères non autorisés."`}},
			{name: "name with a C1 control", method: "POST", path: "/api/v1/auth/register",
				body:       `{"email":"u5@exemple.fr","password":"un mot de passe assez long","kind":"teacher","name":"Anne\u0085Test"}`,
				wantStatus: 400, contains: []string{`"name":"Ce texte contient des caractères non autorisés."`}},
			{name: "handle that looks like an existing one", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"u6@exemple.fr","handle":"` + strings.ReplaceAll(existing.Handle, "l", "1") + `"`),
				wantStatus: 400, contains: []string{`"handle":"Cet identifiant est déjà pris."`}},
			{name: "handle with a zero-width joiner", method: "POST", path: "/api/v1/auth/register",
				body:       reg(`"email":"u7@exemple.fr","handle":"an\u200Dne"`),
				wantStatus: 400, contains: []string{`"handle":`}},
			{name: "bearer token on a web route", method: "GET", path: "/profil/donnees", bearer: true,
				wantStatus: 403, contains: []string{`"code":"bearer_web_only"`}},
			{name: "bearer token creating a token", method: "POST", path: "/profil/jetons", contentType: "application/x-www-form-urlencoded",
				body: "label=vol", bearer: true, wantStatus: 403, contains: []string{`"code":"bearer_web_only"`}},
			{name: "form POST without CSRF token", method: "POST", path: "/inscription", contentType: "application/x-www-form-urlencoded",
				body:       "kind=teacher&name=Eve&email=eve@exemple.fr&password=un+mot+de+passe+long",
				wantStatus: 403, contains: []string{"Accès refusé"}},
		}
		before := userCount(t, env)
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				req, _ := http.NewRequest(sc.method, env.URL+sc.path, strings.NewReader(sc.body))
				ct := sc.contentType
				if ct == "" && sc.body != "" {
					ct = "application/json"
				}
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				if sc.name == "forged bearer token" {
					req.Header.Set("Authorization", "Bearer ard_forged")
				}
				if sc.bearer {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				body := string(raw)
				if resp.StatusCode != sc.wantStatus {
					t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, sc.wantStatus, body)
				}
				for _, s := range sc.contains {
					if !strings.Contains(body, s) {
						t.Errorf("body lacks %q: %.400s", s, body)
					}
				}
				for _, s := range sc.notContains {
					if strings.Contains(body, s) {
						t.Errorf("body contains %q", s)
					}
				}
				if strings.HasPrefix(sc.path, "/api/") && resp.StatusCode >= 400 && resp.StatusCode != 413 {
					var e struct {
						Error struct{ Code, Message string } `json:"error"`
					}
					if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("API error is not {\"error\":{code,message}}: %.300s", body)
					}
				}
			})
		}
		if after := userCount(t, env); after != before {
			t.Errorf("bad input changed the users collection: %d accounts, was %d", after, before)
		}
	})
}

// TestBodyTooLarge sends a 2 MB body to a route limited to 1 MB: 413, and
// nothing stored. (It speaks raw HTTP and writes the whole body before
// reading, so the answer does not race the upload.)
func TestBodyTooLarge(t *testing.T) {
	env := testenv.New(t)
	before := userCount(t, env)
	conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	fmt.Fprintf(conn, "POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"code":"too_large"`) {
		t.Errorf("status %d, want 413 with a JSON error: %.200s", resp.StatusCode, raw)
	}
	if after := userCount(t, env); after != before {
		t.Error("an oversized body changed the store")
	}
}

// TestRegisterFormShowsErrorsByField checks the no-JavaScript form path.
func TestRegisterFormShowsErrorsByField(t *testing.T) {
	env := testenv.New(t)
	c := env.Client()
	resp, body := env.PostForm(t, c, "/inscription", url.Values{
		"kind": {"teacher"}, "name": {"Anne"}, "email": {"anne-exemple.fr"}, "password": {"court"},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<p class="error" id="email-error">Saisissez une adresse électronique valide`,
		`<p class="error" id="password-error">Le mot de passe doit contenir au moins 12 caractères.</p>`,
		`aria-describedby="email-error"`,
		`value="Anne"`, // what was typed is kept
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="court"`) {
		t.Error("the password was echoed back into the page")
	}
}
