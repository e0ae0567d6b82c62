package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// postTyped posts body with a content type and a bearer token.
func postTyped(t *testing.T, env *testenv.Env, token, path, contentType string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", env.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// expectResponse fails t unless a response has status want and contains
// every one of contains (a JSON body or a page).
func expectResponse(t *testing.T, what string, got, want int, body string, contains ...string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: status %d, want %d: %.2000s", what, got, want, body)
	}
	for _, c := range contains {
		if !strings.Contains(body, c) {
			t.Fatalf("%s: %q not in %.2000s", what, c, body)
		}
	}
}

// postCSV sends a candidates file as text/csv with api's bearer token.
func postCSV(t *testing.T, env *testenv.Env, api apiClient, path, body string) (int, string) {
	t.Helper()
	return postTyped(t, env, api.token, path, "text/csv; charset=utf-8", []byte(body))
}

// TestCertificationSetupAPI: an admin creates a centre, its référent a
// session (number and codes), imports a clean file, gets every line of a
// dirty one (400, nothing saved), adds one candidate, and reads the
// session back; others are refused, bad input gets French field errors.
func TestCertificationSetupAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		referentUser := env.CreateUser(t, profile.RoleTrainer)
		admin := apiClientFor(t, env, env.CreateUser(t, profile.RoleAdmin))
		referent := apiClientFor(t, env, referentUser)
		inspector := apiClientFor(t, env, env.CreateUser(t, profile.RoleInspector))
		expect := func(what string, status, want int, raw string, contains ...string) {
			t.Helper()
			expectResponse(t, what, status, want, raw, contains...)
		}

		centre := map[string]any{"name": "INSPÉ de Lyon", "territory": map[string]any{"academie": "lyon", "departement": "69"},
			"referents": []string{referentUser.Email}}
		st, _, raw := inspector.call("POST", "/api/v1/certification/centres", centre)
		expect("an inspector creates a centre", st, 403, raw, `"code":"forbidden"`)
		st, _, raw = admin.call("POST", "/api/v1/certification/centres", map[string]any{"name": "X",
			"territory": map[string]any{"academie": "lyon"}, "referents": []string{"personne@nulle.part"}})
		expect("an unknown référent", st, 400, raw, `"referents":"Aucun compte n'a l'une de ces adresses`)
		st, body, raw := admin.call("POST", "/api/v1/certification/centres", centre)
		expect("create a centre", st, 201, raw, `"id"`)
		centreID := body["id"].(string)

		date := time.Now().In(clock.Paris()).AddDate(0, 0, 7).Format(time.DateOnly)
		session := map[string]any{"centre": centreID, "kind": "crcn", "date": date, "time": "14:00",
			"place": "INSPÉ de Lyon", "room": "B204", "invigilator": "M. Leroy"}
		st, _, raw = admin.call("POST", "/api/v1/certification/sessions", session)
		expect("an admin who is not a référent creates a session", st, 403, raw)
		bad := map[string]any{"centre": centreID, "kind": "crcn", "date": "07/01/2031", "time": "14h", "place": "", "room": "B", "invigilator": "M. Leroy"}
		st, _, raw = referent.call("POST", "/api/v1/certification/sessions", bad)
		expect("a bad session", st, 400, raw, `"date":"Saisissez une date au format AAAA-MM-JJ."`,
			`"time":"Saisissez une heure au format HH:MM`, `"place":"Ce champ est obligatoire."`)
		st, body, raw = referent.call("POST", "/api/v1/certification/sessions", session)
		expect("create a session", st, 201, raw, `"number"`, `"accessCode"`, `"invigilatorPassword"`)
		id := body["id"].(string)
		if n := body["number"].(float64); n < 100000 || n > 999999 || len(body["accessCode"].(string)) != 6 || len(body["invigilatorPassword"].(string)) != 6 {
			t.Fatalf("session: %s", raw)
		}
		base := "/api/v1/certification/sessions/" + id

		st, raw = postCSV(t, env, inspector, base+"/candidates", "nom;prénom;date_naissance;email;temps_majoré;aménagement\n")
		expect("an inspector imports", st, 403, raw)
		file := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
			"Martin;Élise;12/03/1985;elise.martin@ac-lyon.fr;;non\n" +
			"Dupont;Jean-Luc;1979-11-02;jl.dupont@ac-lyon.fr;33%;oui\n"
		st, raw = postTyped(t, env, referent.token, base+"/candidates", "application/vnd.ms-excel", []byte(file))
		expect("a spreadsheet", st, 415, raw, `"code":"unsupported_media_type"`)
		st, raw = postCSV(t, env, referent, base+"/candidates", file)
		expect("import", st, 200, raw, `{"imported":2}`)
		dirty := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
			"Bernard;Léa;31/02/1990;lea@ac-lyon.fr;;non\n" +
			"Petit;Paul;1980-01-01;paul@ac-lyon.fr;;peut-être\n"
		st, raw = postCSV(t, env, referent, base+"/candidates", dirty)
		expect("a dirty file", st, 400, raw, `"code":"candidates_file"`, `"line":2`, `"line":3`, `31/02/1990`, `peut-être`)
		var lines struct {
			Lines []struct {
				Line    int    `json:"line"`
				Message string `json:"message"`
			} `json:"lines"`
		}
		if err := json.Unmarshal([]byte(raw), &lines); err != nil || len(lines.Lines) != 2 || lines.Lines[0].Message == "" {
			t.Fatalf("lines: %v %s", err, raw)
		}

		one := map[string]any{"lastName": "Lefèvre", "firstName": "Chloé", "birthDate": "1990-06-05",
			"email": "chloe.lefevre@ac-lyon.fr", "extraTime": 25, "adjustment": true}
		st, _, raw = referent.call("POST", base+"/candidates", one)
		expect("add one", st, 201, raw, `"lastName":"Lefèvre"`, `"state":"absent"`, `"extraTime":25`)
		st, _, raw = referent.call("POST", base+"/candidates", one)
		expect("add the same again", st, 400, raw, `"email":"Un candidat de la session a déjà cette adresse."`)
		st, _, raw = referent.call("POST", base+"/candidates", map[string]any{"lastName": "X"})
		expect("add an incomplete one", st, 400, raw, `"firstName":"Ce champ est obligatoire."`)

		st, _, raw = referent.call("GET", base, nil)
		expect("read", st, 200, raw, `"number":`, `"accessCode":"`, `"invigilatorPassword":"`, `"status":"created"`,
			`"date":"`+date+`"`, `"lastName":"Martin"`, `"firstName":"Élise"`, `"birthDate":"1985-03-12"`,
			`"email":"jl.dupont@ac-lyon.fr"`, `"extraTime":33`, `"adjustment":true`, `"state":"absent"`, `"lastName":"Lefèvre"`)
		if strings.Contains(raw, "Bernard") {
			t.Fatalf("the dirty file was saved: %s", raw)
		}
		st, _, raw = admin.call("GET", base, nil)
		expect("an admin reads", st, 200, raw, `"lastName":"Martin"`)
		st, _, raw = inspector.call("GET", base, nil)
		expect("an inspector reads", st, 403, raw)
	})
}
