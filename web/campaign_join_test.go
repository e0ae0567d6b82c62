package web_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/campaigns"
	"ardoise/internal/boot"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// newCampaign has a trainer create an open campaign on two CRCN
// competences, for teachers only.
func newCampaign(t *testing.T, env *testenv.Env, in campaigns.NewCampaign) *campaigns.Campaign {
	t.Helper()
	if in.Title == "" {
		in.Title = "Avant la formation"
	}
	if in.Framework == "" {
		in.Framework = "crcn"
	}
	if in.Targets == nil {
		in.Targets = map[string]int{"1.1": 3, "3.1": 5}
	}
	trainer := env.CreateUser(t, profile.RoleTrainer)
	c, err := env.Sys.Campaigns.Create(testenv.Ctx(t), trainer, in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// closedCampaign stores a campaign that closed yesterday (only time makes
// one: it cannot be created closed).
func closedCampaign(t *testing.T, env *testenv.Env) *campaigns.Campaign {
	t.Helper()
	trainer := env.CreateUser(t, profile.RoleTrainer)
	code := make([]byte, campaigns.CodeLength)
	for i := range code {
		code[i] = campaigns.CodeAlphabet[rand.IntN(len(campaigns.CodeAlphabet))]
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	c := &campaigns.Campaign{ID: fmt.Sprintf("close%d", rand.Int64()), Code: string(code), Title: "Campagne close", Framework: "crcn",
		Targets: []campaigns.Target{{Competence: "1.1", Level: 3}}, OpensAt: now.Add(-30 * 24 * time.Hour), ClosesAt: now.Add(-24 * time.Hour),
		OrganiserID: trainer.ID, OrganiserRole: string(profile.RoleTrainer), CreatedAt: now.Add(-31 * 24 * time.Hour)}
	if err := campaigns.NewStore(env.Sys.DB, env.Sys.Claims).ImportCampaign(testenv.Ctx(t), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// newParent makes a verified parent's account.
func newParent(t *testing.T, env *testenv.Env) *profile.User {
	t.Helper()
	u, err := env.Sys.Profile.Create(testenv.Ctx(t), profile.CreateInput{Role: profile.RoleLearner, RegisterInput: profile.RegisterInput{
		Email: fmt.Sprintf("parent%d@test.ardoise.fr", rand.Int64()), Password: testenv.TestPassword, Name: "Paule Parent",
		Kind: string(profile.KindParent), Territory: profile.Territory{Academie: "lyon", Departement: "69"}}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// finishByAPI answers every question of test id by skipping it, through
// the API as u, until the test ends.
func finishByAPI(t *testing.T, env *testenv.Env, u *profile.User, id string) {
	t.Helper()
	api := apiClientFor(t, env, u)
	for range 200 {
		st, m, raw := api.call("GET", "/api/v1/assessments/"+id, nil)
		if st != 200 {
			t.Fatalf("read test: %d %s", st, raw)
		}
		if m["state"] == "finished" {
			return
		}
		q := question(m)
		if q == nil {
			t.Fatalf("no question: %s", raw)
		}
		if st, _, raw := api.call("POST", "/api/v1/assessments/"+id+"/answers", map[string]any{"challengeId": q["id"], "skipped": true}); st != 200 {
			t.Fatalf("answer: %d %s", st, raw)
		}
	}
	t.Fatal("the test did not end")
}

// joinByForm posts the join form as c and returns the response.
func joinByForm(t *testing.T, env *testenv.Env, c *http.Client, code string) (*http.Response, string) {
	t.Helper()
	return env.PostForm(t, c, "/campagne", url.Values{"code": {code}})
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: %q not in %.1500s", what, w, body)
		}
	}
}

// TestCampaignJoinByForm: the join page, prefilled by a shared link with
// the code as data; a visitor is sent to sign in and back; a teacher joins
// and lands on the test (resuming it on a second join); every refusal
// shows the form again with the French reason tied to the field.
func TestCampaignJoinByForm(t *testing.T) {
	env := testenv.New(t, testenv.WithConfig(func(c *boot.Config) { c.RetryCooldown = 96 * time.Hour }))
	camp := newCampaign(t, env, campaigns.NewCampaign{})

	// A visitor: the code is shown back escaped, with a sign-in link that comes back with it.
	anon := env.Client()
	resp, body := get(t, env, anon, "/campagne?code="+url.QueryEscape(`"><script>alert(1)</script>`))
	if resp.StatusCode != 200 || strings.Contains(body, "<script>alert(1)") {
		t.Fatalf("visitor's page: %d %.2000s", resp.StatusCode, body)
	}
	mustContain(t, "visitor's page", body, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`, `id="join-login"`,
		"Code de la campagne", "8 caractères, lettres et chiffres, donnés par l&#39;organisateur", `autocomplete="off"`, `autocapitalize="characters"`)
	resp, body = get(t, env, anon, "/campagne?code="+camp.Code)
	css := 0
	checkPage(t, "/campagne", resp, body, &css, env) // headers, landmarks, weight
	mustContain(t, "visitor's link", body, `href="/connexion?suite=%2Fcampagne%3Fcode%3D`+camp.Code+`"`)
	resp, body = joinByForm(t, env, anon, camp.Code)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("visitor's join: %d", resp.StatusCode)
	}
	mustContain(t, "visitor's join", body, `id="join-login"`, `value="`+camp.Code+`"`)
	teacher := env.CreateUser(t, profile.RoleLearner)
	resp, _ = env.PostForm(t, anon, "/connexion", url.Values{"email": {teacher.Email}, "password": {testenv.TestPassword},
		"suite": {"/campagne?code=" + camp.Code}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/campagne?code="+camp.Code {
		t.Fatalf("sign-in comes back to %d %q", resp.StatusCode, loc)
	}
	resp, body = get(t, env, anon, "/campagne?code="+camp.Code)
	if resp.StatusCode != 200 || strings.Contains(body, `id="join-login"`) {
		t.Fatalf("signed-in page: %d", resp.StatusCode)
	}
	mustContain(t, "signed-in page", body, `value="`+camp.Code+`"`, `action="/campagne"`, `name="_csrf"`)

	// Joining: lower case and a dash are fine; a second join resumes the same test.
	typed := strings.ToLower(camp.Code[:4] + "-" + camp.Code[4:])
	resp, _ = joinByForm(t, env, anon, typed)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/positionnement/") {
		t.Fatalf("join: %d %q", resp.StatusCode, loc)
	}
	resp, body = get(t, env, anon, loc)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="question-form"`) {
		t.Fatalf("the campaign's test: %d %.500s", resp.StatusCode, body)
	}
	if resp, _ = joinByForm(t, env, anon, camp.Code); resp.Header.Get("Location") != loc {
		t.Fatalf("a second join goes to %q, not the test in progress %q", resp.Header.Get("Location"), loc)
	}
	// Without a CSRF token, nothing happens.
	if r, err := anon.PostForm(env.URL+"/campagne", url.Values{"code": {camp.Code}}); err != nil || r.StatusCode != http.StatusForbidden {
		t.Fatalf("join without a CSRF token: %v %v", r, err)
	}

	// Refusals, each next to the field.
	parent := env.LoggedIn(t, newParent(t, env))
	later := newCampaign(t, env, campaigns.NewCampaign{OpensAt: time.Now().Add(48 * time.Hour)})
	closed := closedCampaign(t, env)
	other := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	for _, sc := range []struct {
		name   string
		client *http.Client
		code   string
		status int
		msg    string
	}{
		{"unknown code", other, "AAAAAAAA", 422, "Aucune campagne ne porte ce code."},
		{"not a code", other, "xyz", 422, "Aucune campagne ne porte ce code."},
		{"not open yet", other, later.Code, 422, "Cette campagne n&#39;est pas encore ouverte."},
		{"closed", other, closed.Code, 422, "Cette campagne est close"},
		{"a parent on a teachers' campaign", parent, camp.Code, 403, "réservée aux enseignants"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			resp, body := joinByForm(t, env, sc.client, sc.code)
			if resp.StatusCode != sc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, sc.status)
			}
			mustContain(t, sc.name, body, sc.msg, `id="code-error"`, `aria-invalid="true"`, `aria-describedby="code-error code-hint"`,
				`role="alert"`, `href="#code"`, "autofocus", `value="`+sc.code+`"`)
		})
	}

	// After finishing, joining again waits for the cool-down (409).
	id := strings.TrimPrefix(loc, "/positionnement/")
	finishByAPI(t, env, teacher, id)
	resp, body = joinByForm(t, env, anon, camp.Code)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("join again at once: %d", resp.StatusCode)
	}
	mustContain(t, "cool-down", body, "Vous avez terminé cette campagne récemment", `id="code-error"`)
}

// TestCampaignJoinRateLimited: an account that keeps trying codes is
// stopped for a while, with the reason next to the field.
func TestCampaignJoinRateLimited(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	c := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	var resp *http.Response
	var body string
	for range 21 {
		resp, body = joinByForm(t, env, c, "AAAAAAAA")
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("21st join: %d", resp.StatusCode)
	}
	mustContain(t, "rate limited", body, "Trop de tentatives", `id="code-error"`)
}
