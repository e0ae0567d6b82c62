package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"ardoise/campaigns"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// joinAndFinish has u join camp through the form and finish its test; it
// returns u's client and the participation's (the test's) id.
func joinAndFinish(t *testing.T, env *testenv.Env, u *profile.User, camp *campaigns.Campaign) (*http.Client, string) {
	t.Helper()
	c := env.LoggedIn(t, u)
	resp, _ := joinByForm(t, env, c, camp.Code)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/positionnement/") {
		t.Fatalf("join: %d %q", resp.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/positionnement/")
	finishByAPI(t, env, u, id)
	return c, id
}

// recorded waits until the worker has stored the end of u's participation.
func recorded(t *testing.T, env *testenv.Env, u *profile.User, id string) {
	t.Helper()
	testenv.Eventually(t, 15*time.Second, "the participation's end recorded", func() bool {
		p, _, err := env.Sys.Campaigns.Participation(testenv.Ctx(t), u, id)
		return err == nil && p.Finished()
	})
}

// TestCampaignResultAndShare: the result of a campaign's test says where
// the person stands against each target level and what sending shares;
// only its person sees it and may send it; sending is final and dated.
func TestCampaignResultAndShare(t *testing.T) {
	env := testenv.New(t)
	camp := newCampaign(t, env, campaigns.NewCampaign{Title: "Formation Lyon 69"})
	teacher := env.CreateUser(t, profile.RoleLearner)
	c, id := joinAndFinish(t, env, teacher, camp)
	recorded(t, env, teacher, id)
	result := "/positionnement/" + id + "/resultat"
	resp, body := get(t, env, c, result)
	if resp.StatusCode != 200 {
		t.Fatalf("result: %d", resp.StatusCode)
	}
	mustContain(t, "result", body, "Votre position par rapport au profil visé", `id="campaign-targets"`,
		"1.1 Mener une recherche", "3 / 8", "5 / 8", "Pas encore : ", "Formation Lyon 69",
		"verra votre nom, la date d&#39;envoi et votre niveau dans chacune des compétences de la campagne", "Il ne verra pas vos réponses.",
		"Sans envoi, l&#39;organisateur sait seulement que quelqu&#39;un a rejoint la campagne et l&#39;a terminée.",
		`action="/campagne/participations/`+id+`/envoi"`, `id="share"`, "J&#39;envoie mes résultats")
	if rows := strings.Count(body[strings.Index(body, `id="campaign-targets"`):], `<tr><th scope="row">`); rows < 2 {
		t.Errorf("%d target rows", rows)
	}
	if n := strings.Count(body, `<tr><th scope="row">`); n != 4 {
		t.Errorf("%d competence rows in all, want 2 targets + 2 measured", n)
	}

	// Someone else neither sees the result nor sends it.
	stranger := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	if resp, _ := get(t, env, stranger, result); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a stranger reads the result: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, stranger, "/campagne/participations/"+id+"/envoi", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a stranger sends it: %d", resp.StatusCode)
	}
	if p, _, _ := env.Sys.Campaigns.Participation(testenv.Ctx(t), teacher, id); p.Shared() {
		t.Fatal("shared by a stranger")
	}

	// The person sends it: back to the result, with the date instead of the button.
	resp, _ = env.PostForm(t, c, "/campagne/participations/"+id+"/envoi", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != result+"#partage" {
		t.Fatalf("share: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = get(t, env, c, result)
	mustContain(t, "after sending", body, `id="shared"`, "Résultats envoyés le ")
	if strings.Contains(body, `id="share"`) {
		t.Error("the button is still there after sending")
	}
	// Again: nothing changes, back to the same page.
	p, _, _ := env.Sys.Campaigns.Participation(testenv.Ctx(t), teacher, id)
	if resp, _ = env.PostForm(t, c, "/campagne/participations/"+id+"/envoi", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("share again: %d", resp.StatusCode)
	}
	if again, _, _ := env.Sys.Campaigns.Participation(testenv.Ctx(t), teacher, id); !again.SharedAt.Equal(p.SharedAt) {
		t.Fatalf("sharing again moved the date: %v → %v", p.SharedAt, again.SharedAt)
	}
}

// TestCampaignShareUnverified: an account whose address is not verified
// is told why it cannot send, with the way to get a new link.
func TestCampaignShareUnverified(t *testing.T) {
	env := testenv.New(t)
	camp := newCampaign(t, env, campaigns.NewCampaign{})
	u := env.CreateUnverified(t, profile.RoleLearner)
	c, id := joinAndFinish(t, env, u, camp)
	recorded(t, env, u, id)
	_, body := get(t, env, c, "/positionnement/"+id+"/resultat")
	mustContain(t, "unverified", body, `id="share-unverified"`, "confirmez d&#39;abord votre adresse électronique", `action="/verifier-email/renvoyer"`)
	if strings.Contains(body, `id="share"`) {
		t.Error("the button is offered to an unverified account")
	}
	resp, body := env.PostForm(t, c, "/campagne/participations/"+id+"/envoi", nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("share unverified: %d", resp.StatusCode)
	}
	mustContain(t, "refused", body, `id="share-error"`, `role="alert"`)
}

// TestCampaignSharePending: before the worker records the end, the result
// page says so, and sending is refused with the same words.
func TestCampaignSharePending(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	camp := newCampaign(t, env, campaigns.NewCampaign{})
	u := env.CreateUser(t, profile.RoleLearner)
	c, id := joinAndFinish(t, env, u, camp)
	_, body := get(t, env, c, "/positionnement/"+id+"/resultat")
	mustContain(t, "pending", body, `id="share-pending"`, "Votre résultat est en cours d&#39;enregistrement, réessayez dans un instant.",
		"Votre position par rapport au profil visé")
	resp, body := env.PostForm(t, c, "/campagne/participations/"+id+"/envoi", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("share before recorded: %d", resp.StatusCode)
	}
	mustContain(t, "share before recorded", body, `id="share-error"`, "en cours d&#39;enregistrement")
}

// TestCampaignJoinAPI: the API's join answers 201 with the participation
// and the test's first question, 422 with the reason's code for an unknown
// code or a closed campaign, and 403 campaign_audience for a parent.
func TestCampaignJoinAPI(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	camp := newCampaign(t, env, campaigns.NewCampaign{})
	api := apiClientFor(t, env, env.CreateUser(t, profile.RoleLearner))
	st, m, raw := api.call("POST", "/api/v1/campaigns/join", map[string]string{"code": camp.Code})
	part, _ := m["participation"].(map[string]any)
	test, _ := m["test"].(map[string]any)
	if st != http.StatusCreated || part == nil || test == nil || part["id"] == nil || part["id"] != test["id"] || question(test) == nil {
		t.Fatalf("join: %d %s", st, raw)
	}
	closed := closedCampaign(t, env)
	for _, sc := range []struct {
		name   string
		api    apiClient
		code   string
		status int
		want   string
	}{
		{"unknown code", api, "AAAAAAAA", 422, `"code":"campaign_unknown_code"`},
		{"closed", api, closed.Code, 422, `"code":"campaign_closed"`},
		{"parent", apiClientFor(t, env, newParent(t, env)), camp.Code, 403, `"code":"campaign_audience"`},
	} {
		st, _, raw := sc.api.call("POST", "/api/v1/campaigns/join", map[string]string{"code": sc.code})
		if st != sc.status || !strings.Contains(raw, sc.want) || !strings.Contains(raw, `"message":"`) {
			t.Errorf("%s: %d %s", sc.name, st, raw)
		}
	}
}
