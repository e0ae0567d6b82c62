package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// postFile sends a multipart form with a CSRF token and one file field.
func postFile(t *testing.T, env *testenv.Env, c *http.Client, path, field, name, content string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", env.CSRF(t, c, "/"))
	if field != "" {
		fw, err := w.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	w.Close()
	req, _ := http.NewRequest("POST", env.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// formPages reads and posts the pages of one test's server as a client,
// and checks each response (expectResponse).
type formPages struct {
	t   *testing.T
	env *testenv.Env
}

func (p formPages) expect(what string, got, want int, body string, contains ...string) {
	p.t.Helper()
	expectResponse(p.t, what, got, want, body, contains...)
}

// page reads path as c: the status and the body.
func (p formPages) page(c *http.Client, path string) (int, string) {
	p.t.Helper()
	resp, body := get(p.t, p.env, c, path)
	return resp.StatusCode, body
}

// post sends a form with its CSRF token as c: the status, the body and
// where it redirects.
func (p formPages) post(c *http.Client, path string, v url.Values) (int, string, string) {
	p.t.Helper()
	resp, body := p.env.PostForm(p.t, c, path, v)
	return resp.StatusCode, body, resp.Header.Get("Location")
}

// TestCertificationPages: an admin creates a centre through its form (bad
// input shown in an error summary), its référent creates a session, reads
// its codes, imports a dirty file (every line shown, nothing saved), a
// clean one, adds a candidate; a non-référent gets the page that says why,
// a référent of another centre does not see the session.
func TestCertificationPages(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		adminUser := env.CreateUser(t, profile.RoleAdmin)
		refUser := env.CreateUser(t, profile.RoleLearner)
		other := env.CreateUser(t, profile.RoleTrainer)
		admin, ref, outsider := env.LoggedIn(t, adminUser), env.LoggedIn(t, refUser), env.LoggedIn(t, other)
		p := formPages{t, env}
		expect, page, post := p.expect, p.page, p.post

		// The admin's list and form.
		st, body := page(admin, "/admin/centres")
		expect("admin list", st, 200, body, "Aucun centre", `<textarea id="referents"`, `href="/admin/centres" aria-current="page"`)
		st, body, _ = post(admin, "/admin/centres", url.Values{})
		expect("an empty centre", st, 422, body, `class="error-summary"`, `href="#name"`, `href="#territory.academie"`, `href="#referents"`,
			`id="name" name="name" type="text" value="" autocomplete="off" aria-required="true" aria-invalid="true"`)
		st, body, _ = post(admin, "/admin/centres", url.Values{"name": {"INSPÉ de Lyon"}, "territory.academie": {"lyon"},
			"referents": {"personne@nulle.part"}})
		expect("an unknown référent", st, 422, body, "Aucun compte n&#39;a l&#39;une de ces adresses", `value="INSPÉ de Lyon"`)
		st, body, loc := post(admin, "/admin/centres", url.Values{"name": {"INSPÉ de Lyon"}, "territory.academie": {"lyon"},
			"territory.departement": {"69"}, "referents": {"\r\n" + strings.ToUpper(refUser.Email) + "\r\n\r\n"}})
		expect("create a centre", st, 303, body)
		if loc != "/admin/centres?cree=1" {
			t.Fatalf("after creating a centre: %q", loc)
		}
		st, body = page(admin, loc)
		expect("the list", st, 200, body, `role="status"`, `<th scope="row">INSPÉ de Lyon</th>`, "Lyon · 69")
		if st, body = page(ref, "/admin/centres"); st != 403 {
			t.Fatalf("a référent reads the admins' list: %d", st)
		}

		// Someone who is no référent: the page says why, on every route.
		st, body = page(outsider, "/certification/centre")
		expect("no desk", st, 403, body, "Vous n&#39;êtes référent d&#39;aucun centre", `href="/certification"`)
		st, body, _ = post(outsider, "/certification/centre/sessions", url.Values{"centre": {"x"}})
		expect("no desk, create", st, 403, body, "Vous n&#39;êtes référent d&#39;aucun centre")
		st, body = page(admin, "/certification/centre")
		expect("an admin with no centre", st, 403, body, `href="/admin/centres"`)

		// The référent's desk and a session.
		st, body = page(ref, "/certification/centre")
		expect("desk", st, 200, body, "INSPÉ de Lyon (Lyon · 69)", "Aucune session", `<select id="centre" name="centre"`)
		desk, err := env.Sys.Certification.Desk(ctx, refUser)
		if err != nil || len(desk.Centres) != 1 {
			t.Fatalf("desk %+v %v", desk, err)
		}
		centreID := desk.Centres[0].ID
		st, body, _ = post(ref, "/certification/centre/sessions", url.Values{"centre": {centreID}, "date": {"07/01/2031"},
			"time": {"14h"}, "place": {""}, "room": {"B204"}, "invigilator": {"M. Leroy"}})
		expect("a bad session", st, 422, body, `href="#date"`, `href="#time"`, `href="#place"`, "Saisissez une date au format AAAA-MM-JJ.",
			`value="B204"`)
		st, body, _ = post(ref, "/certification/centre/sessions", url.Values{"centre": {""}, "date": {"2031-01-07"},
			"time": {"14:00"}, "place": {"INSPÉ"}, "room": {"B204"}, "invigilator": {"M. Leroy"}})
		expect("no centre", st, 422, body, `href="#centre"`)
		day := time.Now().In(clock.Paris()).AddDate(0, 0, 1)
		st, body, loc = post(ref, "/certification/centre/sessions", url.Values{"centre": {centreID}, "date": {day.Format(time.DateOnly)},
			"time": {"14:00"}, "place": {"INSPÉ de Lyon, Croix-Rousse"}, "room": {"B204"}, "invigilator": {"M. Leroy"}})
		expect("create a session", st, 303, body)
		const prefix = "/certification/centre/sessions/"
		if !strings.HasPrefix(loc, prefix) {
			t.Fatalf("after creating a session: %q", loc)
		}
		id := strings.TrimPrefix(loc, prefix)
		x, err := env.Sys.Certification.SessionFor(ctx, refUser, id)
		if err != nil {
			t.Fatal(err)
		}
		st, body = page(ref, "/certification/centre")
		expect("the desk lists it", st, 200, body, `<a href="`+loc+`">Session `, day.Format("02/01/2006"), "<td>14:00</td>", "<td>Créée</td>")
		st, body = page(ref, loc)
		expect("the session page", st, 200, body, `<code id="session-number">`, x.AccessCode, x.InvigilatorPassword,
			"Remettez le numéro de session et le mot de passe surveillant au surveillant", "Aucun candidat", `accept=".csv,text/csv"`,
			`enctype="multipart/form-data"`)

		// Import: no file, a dirty file (nothing saved), a clean one.
		resp, body := postFile(t, env, ref, loc+"/candidats", "", "", "")
		expect("no file", resp.StatusCode, 422, body, "Choisissez un fichier CSV")
		dirty := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
			"Bernard;Léa;31/02/1990;lea@ac-lyon.fr;;non\n" +
			"Petit;Paul;1980-01-01;paul@ac-lyon.fr;;peut-être\n" +
			"Morel;Anne;03/05/1982;anne.morel@ac-lyon.fr;;non\n"
		resp, body = postFile(t, env, ref, loc+"/candidats", "file", "../../etc/candidats.csv", dirty)
		expect("a dirty file", resp.StatusCode, 422, body, `class="error-summary"`, "rien n&#39;a été enregistré", "Ligne 2 : ", "Ligne 3 : ",
			`<a href="#file">Ligne 2 : `, `aria-invalid="true"`)
		if strings.Contains(body, "Ligne 4 : ") || strings.Contains(body, "candidats.csv") {
			t.Errorf("a clean line, or the file's name, is on the page")
		}
		if x, _ = env.Sys.Certification.SessionFor(ctx, refUser, id); len(x.Candidates) != 0 {
			t.Fatalf("a dirty file saved %d candidates", len(x.Candidates))
		}
		clean := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
			"Martin;Élise;12/03/1985;elise.martin@ac-lyon.fr;;non\n" +
			"Dupont;Jean-Luc;1979-11-02;jl.dupont@ac-lyon.fr;33;oui\n"
		resp, body = postFile(t, env, ref, loc+"/candidats", "file", "liste.csv", clean)
		expect("a clean file", resp.StatusCode, 303, body)
		st, body = page(ref, resp.Header.Get("Location"))
		expect("the list", st, 200, body, "2 candidat(s) importé(s)", `<th scope="row">Martin</th><td>Élise</td><td>12/03/1985</td><td>elise.martin@ac-lyon.fr</td>`,
			"<td>33 %</td><td>oui</td><td>Absent</td>", "Candidats inscrits : 2")
		resp, body = postFile(t, env, ref, loc+"/candidats", "file", "gros.csv", strings.Repeat("x", 1<<20+1))
		if resp.StatusCode != 413 && resp.StatusCode != 422 {
			t.Errorf("a file over 1 MB: %d", resp.StatusCode)
		}

		// One candidate: bad, good, the same address again.
		st, body, _ = post(ref, loc+"/candidat", url.Values{"lastName": {"Roux"}, "firstName": {""}, "birthDate": {"hier"},
			"email": {"pas-une-adresse"}, "extraTime": {"beaucoup"}})
		expect("a bad candidate (extra time)", st, 422, body, `href="#extraTime"`, `value="Roux"`)
		st, body, _ = post(ref, loc+"/candidat", url.Values{"lastName": {"Roux"}, "firstName": {""}, "birthDate": {"hier"},
			"email": {"pas-une-adresse"}})
		expect("a bad candidate", st, 422, body, `href="#firstName"`, `href="#birthDate"`, `href="#email"`)
		good := url.Values{"lastName": {"Roux"}, "firstName": {"Camille"}, "birthDate": {"04/09/1990"},
			"email": {"camille.roux@ac-lyon.fr"}, "extraTime": {"25 %"}, "adjustment": {"1"}}
		st, body, loc2 := post(ref, loc+"/candidat", good)
		expect("add a candidate", st, 303, body)
		st, body = page(ref, loc2)
		expect("added", st, 200, body, "Le candidat est ajouté", `<th scope="row">Roux</th><td>Camille</td>`, "<td>25 %</td><td>oui</td>", "Candidats inscrits : 3")
		st, body, _ = post(ref, loc+"/candidat", good)
		expect("the same address", st, 422, body, `href="#email"`)

		// Others: an admin reads the page without its forms; a référent of
		// another centre does not find it; a non-référent learns why.
		st, body = page(admin, loc)
		expect("an admin", st, 200, body, x.AccessCode)
		if strings.Contains(body, `id="import-candidates"`) {
			t.Error("an admin who is not a référent gets the import form")
		}
		otherRef := env.CreateUser(t, profile.RoleLearner)
		if _, err := env.Sys.Certification.CreateCentre(ctx, adminUser, certificationCentre("DRANE de Lyon", otherRef.Email)); err != nil {
			t.Fatal(err)
		}
		st, _ = page(env.LoggedIn(t, otherRef), loc)
		expect("a référent of another centre", st, 404, "")
		st, body = page(outsider, loc)
		expect("a non-référent", st, 403, body, "Vous n&#39;êtes référent d&#39;aucun centre")
		resp, body = postFile(t, env, outsider, loc+"/candidats", "file", "liste.csv", clean)
		expect("a non-référent imports", resp.StatusCode, 403, body)
		st, _, _ = post(outsider, loc+"/candidat", good)
		expect("a non-référent adds", st, 403, "")

		// The profile links to both sides of certification.
		st, body = page(ref, "/profil")
		expect("profile", st, 200, body, `href="/certification/centre"`, `href="/certification"`)
	})
}

// certificationCentre is a centre of the Lyon académie with one référent.
func certificationCentre(name, referent string) certification.CentreInput {
	return certification.CentreInput{Name: name, Territory: profile.Territory{Academie: "lyon"}, Referents: []string{referent}}
}
