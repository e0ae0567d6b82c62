package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// joinAndFinishDirect has u join the campaign with code and answer its test to
// the end (every other answer right), then counts the finish as the
// worker's hook does. It returns the participation's id.
func joinAndFinishDirect(t *testing.T, env *testenv.Env, u *profile.User, code string) string {
	t.Helper()
	p, tt, err := env.Sys.Campaigns.Join(testenv.Ctx(t), u, code)
	if err != nil {
		t.Fatal(err)
	}
	tt = env.FinishTest(t, assessments.Owner{UserID: u.ID}, tt)
	if err := env.Sys.Campaigns.CountFinished(testenv.Ctx(t), tt); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// personNamed makes a verified teacher with a given display name.
func personNamed(t *testing.T, env *testenv.Env, email, name string) *profile.User {
	t.Helper()
	u, err := env.Sys.Profile.Create(testenv.Ctx(t), profile.CreateInput{Role: profile.RoleLearner, RegisterInput: profile.RegisterInput{
		Email: email, Password: testenv.TestPassword, Name: name, Kind: string(profile.KindTeacher),
		Territory: profile.Territory{Academie: "lyon", Departement: "69"}}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var campaignIDRe = regexp.MustCompile(`^/suivi/campagnes/([A-Za-z0-9_-]+)$`)

// TestOrganiserDashboard: a trainer creates a campaign through the form
// (with French field errors first), more than a page of people share their results and
// one does not; the dashboard and the API results each cost at most 3
// store commands with authentication cached, page through the shared
// participations with the cursor, and never show the unshared one; the
// CSV holds every shared participation with a formula neutralised; other
// organisers get 404 everywhere, a learner 403, an inspector without a
// scope 403 with the reason.
func TestOrganiserDashboard(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	apiModule(t, env, "module-campagne")
	trainer := env.CreateUser(t, profile.RoleTrainer)
	web := env.LoggedIn(t, trainer)

	if resp, body := get(t, env, web, "/suivi/campagnes"); resp.StatusCode != 200 ||
		!strings.Contains(body, `href="/suivi/campagnes"`) || !strings.Contains(body, "Créer une campagne") {
		t.Fatalf("campaigns page: %d %.500s", resp.StatusCode, body)
	}
	for _, sc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"title": {"Av"}, "framework": {"crcn"}, "cible:crcn:1.1": {"2"}}, "Le titre compte 5 à 150 caractères."},
		{url.Values{"title": {"Avant"}, "framework": {"crcn"}}, "Choisissez au moins une compétence avec un niveau visé"},
		{url.Values{"title": {"Avant"}, "framework": {"crcn"}, "cible:crcn:1.1": {"9"}}, "Un niveau visé va de 1 à 8."},
	} {
		resp, body := env.PostForm(t, web, "/suivi/campagnes", sc.form)
		if resp.StatusCode != 422 || !strings.Contains(body, sc.want) || !strings.Contains(body, `value="Av`) {
			t.Fatalf("bad form %v: %d, %q not in %.2000s", sc.form, resp.StatusCode, sc.want, body)
		}
	}
	resp, body := env.PostForm(t, web, "/suivi/campagnes", url.Values{"title": {"Avant la formation"}, "framework": {"crcn"},
		"cible:crcn:1.1": {"2"}, "cible:crcn:4.2": {"3"}, "cible:enseignants:1.1": {"4"}, "closesAt": {"pas une date"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Saisissez une date") {
		t.Fatalf("bad date: %d %.2000s", resp.StatusCode, body)
	}
	resp, body = env.PostForm(t, web, "/suivi/campagnes", url.Values{"title": {"Avant la formation"}, "framework": {"crcn"},
		"cible:crcn:1.1": {"2"}, "cible:crcn:4.2": {"8"}, "cible:enseignants:1.1": {"4"}})
	m := campaignIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("create: %d %s %.1000s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	id := m[1]
	camp, err := env.Sys.Campaigns.Get(testenv.Ctx(t), trainer, id)
	if err != nil || len(camp.Targets) != 2 || camp.Targets[0] != (campaigns.Target{Competence: "1.1", Level: 2}) {
		t.Fatalf("created %+v, %v", camp, err)
	}

	// More than a page of people share (the store's cost grows with the
	// people a test makes, not the dashboard's: 120 passes too, in minutes),
	// one finishes without sharing; one name is a formula.
	const shared = campaigns.PageSize + 10
	var ids []string
	for i := range shared {
		name := fmt.Sprintf("Participante %03d", i)
		if i == 7 {
			name = `=HYPERLINK("http://pirate.example","clic")`
		}
		u := personNamed(t, env, fmt.Sprintf("part%d@test.ardoise.fr", i), name)
		pid := joinAndFinishDirect(t, env, u, camp.Code)
		if _, err := env.Sys.Campaigns.Share(testenv.Ctx(t), u, pid); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, pid)
	}
	quiet := personNamed(t, env, "discrete@test.ardoise.fr", "Personne Discrète")
	ids = append(ids, joinAndFinishDirect(t, env, quiet, camp.Code))
	for _, pid := range ids {
		if err := env.Sys.Campaigns.Count(testenv.Ctx(t), pid); err != nil {
			t.Fatal(err)
		}
	}

	// The dashboard: after a warm-up (authentication cached), ≤ 3 store commands.
	get(t, env, web, "/suivi/campagnes/"+id)
	resp, body = get(t, env, web, "/suivi/campagnes/"+id)
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard: %d %.1000s", resp.StatusCode, body)
	}
	if n, err := strconv.Atoi(resp.Header.Get("X-Store-Commands")); err != nil || n > 3 {
		t.Errorf("the dashboard costs %q store commands, want ≤ 3", resp.Header.Get("X-Store-Commands"))
	}
	for _, want := range []string{"<dd>" + strconv.Itoa(shared+1) + "</dd>", "<dd>" + strconv.Itoa(shared) + "</dd>", `role="img"`, "<title>Répartition des niveaux : 1.1",
		"<caption>Nombre de résultats envoyés", `<th scope="col">Niveau 8</th>`, " / " + strconv.Itoa(shared) + " (", "Module d&#39;API",
		"Participations plus anciennes", "/suivi/campagnes/" + id + "/export.csv", fmt.Sprintf("Participante %03d", shared-1), "/campagne?code=" + camp.Code} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard: %q missing", want)
		}
	}
	if strings.Contains(body, fmt.Sprintf("Participante %03d", shared-campaigns.PageSize-1)) || strings.Contains(body, "Discrète") {
		t.Errorf("the first page shows more than the newest %d, or an unshared participation", campaigns.PageSize)
	}
	// Paging with the cursor: every shared name once, the unshared never.
	seen := map[string]int{}
	nameRe := regexp.MustCompile(`<th scope="row">(Participante \d{3}|=HYPERLINK[^<]*)</th>`)
	next := "/suivi/campagnes/" + id
	olderRe := regexp.MustCompile(`<a href="([^"]+)" id="older">`)
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		resp, body = get(t, env, web, strings.ReplaceAll(next, "&amp;", "&"))
		if resp.StatusCode != 200 || strings.Contains(body, "Discrète") {
			t.Fatalf("page %s: %d, or it shows the unshared participation", next, resp.StatusCode)
		}
		if n, _ := strconv.Atoi(resp.Header.Get("X-Store-Commands")); n > 3 {
			t.Errorf("page %s costs %d store commands", next, n)
		}
		for _, mm := range nameRe.FindAllStringSubmatch(body, -1) {
			seen[mm[1]]++
		}
		next = ""
		if mm := olderRe.FindStringSubmatch(body); mm != nil {
			next = strings.TrimSuffix(mm[1], "#participations")
		}
	}
	if len(seen) != shared {
		t.Errorf("paging showed %d names, want %d", len(seen), shared)
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s shown %d times", name, n)
		}
	}
	if resp, _ := get(t, env, web, "/suivi/campagnes/"+id+"?apres=2"); resp.StatusCode != 400 {
		t.Errorf("a bad cursor: %d", resp.StatusCode)
	}

	// The API results: same cost, same privacy.
	api := apiClientFor(t, env, trainer)
	api.call("GET", "/api/v1/campaigns/"+id+"/results", nil)
	st, _, raw := api.call("GET", "/api/v1/campaigns/"+id+"/results", nil)
	if n, err := strconv.Atoi(api.header.Get("X-Store-Commands")); st != 200 || err != nil || n > 3 {
		t.Errorf("API results: %d, %q store commands", st, api.header.Get("X-Store-Commands"))
	}
	if strings.Contains(raw, "Discrète") || !strings.Contains(raw, `"next":"0"`) {
		t.Errorf("API results: %.500s", raw)
	}

	// The CSV: the hours CSV's conventions, every shared participation, formulas neutralised.
	resp, body = get(t, env, web, "/suivi/campagnes/"+id+"/export.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\uFEFFnom;date_partage;niveau_1.1;niveau_4.2\n") ||
		resp.Header.Get("Content-Disposition") != `attachment; filename="campagne-`+camp.Code+`.csv"` {
		t.Fatalf("CSV: %d %q %.300s", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	if lines := strings.Count(body, "\n"); lines != shared+1 {
		t.Errorf("CSV: %d lines, want %d", lines, shared+1)
	}
	if !strings.Contains(body, "\"'=HYPERLINK(\"\"http://pirate.example\"\",\"\"clic\"\")\";") || strings.Contains(body, "\n=") ||
		strings.Contains(body, "\n\"=") || strings.Contains(body, "Discrète") {
		t.Errorf("CSV not neutralised, or with the unshared participation: %.600s", body)
	}

	// Nobody else sees it.
	for _, who := range []profile.Role{profile.RoleTrainer, profile.RoleInspector} {
		other := env.CreateUser(t, who)
		c := env.LoggedIn(t, other)
		for _, path := range []string{"/suivi/campagnes/" + id, "/suivi/campagnes/" + id + "/export.csv"} {
			if resp, body := get(t, env, c, path); resp.StatusCode != 404 || strings.Contains(body, "Participante") {
				t.Errorf("another %s GET %s: %d", who, path, resp.StatusCode)
			}
		}
		if st, _, _ := apiClientFor(t, env, other).call("GET", "/api/v1/campaigns/"+id+"/results", nil); st != 404 {
			t.Errorf("another %s reads the API results: %d", who, st)
		}
		if _, body := get(t, env, c, "/suivi/campagnes"); strings.Contains(body, camp.Code) {
			t.Errorf("another %s lists the campaign", who)
		}
	}
	learner := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	for _, path := range []string{"/suivi/campagnes", "/suivi/campagnes/" + id, "/suivi/campagnes/" + id + "/export.csv"} {
		if resp, _ := get(t, env, learner, path); resp.StatusCode != 403 {
			t.Errorf("a learner GET %s: %d", path, resp.StatusCode)
		}
	}
	unscoped := env.LoggedIn(t, env.CreateUserIn(t, profile.RoleInspector, profile.Territory{}))
	if resp, body := get(t, env, unscoped, "/suivi/campagnes"); resp.StatusCode != 403 || !strings.Contains(body, "périmètre d&#39;inspection") {
		t.Errorf("an inspector without a scope: %d %.300s", resp.StatusCode, body)
	}
}

// TestOrganiserDashboardGains: an "après" campaign created through the
// form from its "avant" shows, with fewer than 5 people who shared both,
// the sentence saying why there is no gain.
func TestOrganiserDashboardGains(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	trainer := env.CreateUser(t, profile.RoleTrainer)
	web := env.LoggedIn(t, trainer)
	form := url.Values{"title": {"Avant la session"}, "framework": {"crcn"}, "cible:crcn:3.1": {"2"}}
	resp, body := env.PostForm(t, web, "/suivi/campagnes", form)
	m := campaignIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("create avant: %d %.1000s", resp.StatusCode, body)
	}
	pre := m[1]
	if _, body := get(t, env, web, "/suivi/campagnes"); !strings.Contains(body, `<option value="`+pre+`">Avant la session`) {
		t.Fatalf("the form offers no avant campaign: %.3000s", body)
	}
	form.Set("title", "Après la session")
	form.Set("before", pre)
	resp, body = env.PostForm(t, web, "/suivi/campagnes", form)
	m = campaignIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("create après: %d %.1000s", resp.StatusCode, body)
	}
	post := m[1]
	campPre, _ := env.Sys.Campaigns.Get(testenv.Ctx(t), trainer, pre)
	campPost, _ := env.Sys.Campaigns.Get(testenv.Ctx(t), trainer, post)
	for i := range 2 {
		u := env.CreateUser(t, profile.RoleLearner)
		for _, c := range []*campaigns.Campaign{campPre, campPost} {
			pid := joinAndFinishDirect(t, env, u, c.Code)
			if _, err := env.Sys.Campaigns.Share(testenv.Ctx(t), u, pid); err != nil {
				t.Fatal(i, err)
			}
			if err := env.Sys.Campaigns.Count(testenv.Ctx(t), pid); err != nil {
				t.Fatal(err)
			}
		}
	}
	resp, body = get(t, env, web, "/suivi/campagnes/"+post)
	if resp.StatusCode != 200 || !strings.Contains(body, "Moins de 5 personnes ont partagé") || !strings.Contains(body, `<caption>Progression moyenne`) {
		t.Fatalf("après dashboard: %d %.3000s", resp.StatusCode, body)
	}
	if _, body := get(t, env, web, "/suivi/campagnes/"+pre); strings.Contains(body, "Progression moyenne") {
		t.Error("the avant campaign shows gains")
	}
}

// TestInspectorCreatesCampaign: an inspector (with a scope) creates a
// campaign of the whole framework through the form; they cannot open one
// to parents and are told why.
func TestInspectorCreatesCampaign(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker())
	inspector := env.CreateUser(t, profile.RoleInspector)
	web := env.LoggedIn(t, inspector)
	if _, body := get(t, env, web, "/suivi/campagnes"); strings.Contains(body, `id="openToParents"`) {
		t.Error("an inspector is offered to open a campaign to parents")
	}
	form := url.Values{"title": {"Circonscription : état des lieux"}, "framework": {"enseignants"}, "tout": {"1"}, "openToParents": {"1"}}
	resp, body := env.PostForm(t, web, "/suivi/campagnes", form)
	if resp.StatusCode != 422 || !strings.Contains(body, "Une campagne d&#39;inspection n&#39;est pas ouverte aux parents") {
		t.Fatalf("open to parents: %d %.2000s", resp.StatusCode, body)
	}
	form.Del("openToParents")
	resp, body = env.PostForm(t, web, "/suivi/campagnes", form)
	m := campaignIDRe.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("create: %d %.1000s", resp.StatusCode, body)
	}
	camp, err := env.Sys.Campaigns.Get(testenv.Ctx(t), inspector, m[1])
	if err != nil || camp.OrganiserRole != string(profile.RoleInspector) || len(camp.Targets) != 0 || camp.Framework != "enseignants" {
		t.Fatalf("created %+v, %v", camp, err)
	}
	if resp, body := get(t, env, web, "/suivi/campagnes/"+m[1]); resp.StatusCode != 200 || !strings.Contains(body, "Personne n&#39;a encore envoyé") {
		t.Errorf("empty dashboard: %d %.1000s", resp.StatusCode, body)
	}
}
