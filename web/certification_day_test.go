package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"ardoise/internal/clock"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// certSession is a session created through the API for the day's tests.
type certSession struct {
	ID, AccessCode, Password string
	Number                   int
	// Referent is the centre's référent, who created the session.
	Referent *profile.User
}

// candidateNames are the names the candidates of certSession are listed
// under, in order, with their birth dates.
var candidateNames = [][3]string{{"Dupont-Élie", "Jean", "01/04/1985"}, {"Martin", "Léa", "02/04/1985"}}

// newCertSession creates, through the API, a centre, a session today at
// 00:00 (so that check-in is open all day) and its list of candidates.
func newCertSession(t *testing.T, env *testenv.Env, candidates ...*profile.User) certSession {
	t.Helper()
	ref := env.CreateUser(t, profile.RoleTrainer)
	admin := apiClientFor(t, env, env.CreateUser(t, profile.RoleAdmin))
	st, body, raw := admin.call("POST", "/api/v1/certification/centres", map[string]any{"name": "INSPÉ de Lyon",
		"territory": map[string]any{"academie": "lyon"}, "referents": []string{ref.Email}})
	if st != 201 {
		t.Fatalf("centre: %d %s", st, raw)
	}
	referent := apiClientFor(t, env, ref)
	st, body, raw = referent.call("POST", "/api/v1/certification/sessions", map[string]any{"centre": body["id"], "kind": "crcn",
		"date": time.Now().In(clock.Paris()).Format(time.DateOnly), "time": "00:00", "place": "INSPÉ de Lyon", "room": "B204", "invigilator": "M. Leroy"})
	if st != 201 {
		t.Fatalf("session: %d %s", st, raw)
	}
	x := certSession{ID: body["id"].(string), Number: int(body["number"].(float64)), AccessCode: body["accessCode"].(string),
		Password: body["invigilatorPassword"].(string), Referent: ref}
	file := "nom;prénom;date_naissance;email;temps_majoré;aménagement\n"
	for i, u := range candidates {
		file += fmt.Sprintf("%s;%s;%s;%s;;non\n", candidateNames[i][0], candidateNames[i][1], candidateNames[i][2], u.Email)
	}
	if st, raw := postCSV(t, env, referent, "/api/v1/certification/sessions/"+x.ID+"/candidates", file); st != 200 {
		t.Fatalf("candidates: %d %s", st, raw)
	}
	return x
}

// TestCertificationDayAPI runs the day through the API: the supervision
// token, opening, check-in, confirmation, the access code, answers with
// the device token, a second device refused, an alert validated, the end
// of a test, and the board's JSON.
func TestCertificationDayAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		jean := env.CreateUser(t, profile.RoleLearner)
		x := newCertSession(t, env, jean)
		expect := func(what string, st, want int, raw string, contains ...string) {
			t.Helper()
			expectResponse(t, what, st, want, raw, contains...)
		}
		anon := apiClient{t: t, env: env}
		st, _, raw := anon.call("POST", "/api/v1/certification/supervision", map[string]any{"session": x.Number, "password": "ZZZZZZ"})
		expect("a wrong password", st, 403, raw, `"code":"certification_bad_password"`)
		st, body, raw := anon.call("POST", "/api/v1/certification/supervision", map[string]any{"session": x.Number, "password": strings.ToLower(x.Password)})
		expect("supervise", st, 200, raw, `"token"`)
		inv := apiClient{t: t, env: env, token: body["token"].(string)}

		cand := apiClientFor(t, env, jean)
		checkin := map[string]any{"session": x.Number, "lastName": "dupont elie", "firstName": "JEAN", "birthDate": "1985-04-01"}
		st, _, raw = cand.call("POST", "/api/v1/certification/checkin", checkin)
		expect("check-in before the session opens", st, 422, raw, `"code":"certification_not_open"`, "pas encore ouverte")
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/open", nil)
		expect("open", st, 200, raw, `"status":"open"`)
		st, body, raw = cand.call("POST", "/api/v1/certification/checkin", checkin)
		expect("check-in", st, 200, raw, `"state":"present"`)
		handle := body["candidate"].(string)
		candidateID := handle[strings.Index(handle, "-")+1:]
		st, _, raw = cand.call("POST", "/api/v1/certification/start", map[string]any{"candidate": handle, "accessCode": x.AccessCode})
		expect("start before the invigilator confirms", st, 422, raw, `"code":"certification_not_confirmed"`)
		st, _, raw = inv.call("GET", "/api/v1/certification/supervision", nil)
		expect("board", st, 200, raw, `"lastName":"Dupont-Élie"`, `"state":"present"`)
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/candidates/"+candidateID+"/confirm", nil)
		expect("confirm", st, 200, raw)
		st, _, raw = cand.call("POST", "/api/v1/certification/start", map[string]any{"candidate": handle, "accessCode": "ZZZZ99"})
		expect("a wrong access code", st, 422, raw, `"code":"certification_access_code"`)
		st, body, raw = cand.call("POST", "/api/v1/certification/start", map[string]any{"candidate": handle, "accessCode": x.AccessCode})
		expect("start", st, 201, raw, `"device"`, `"total":32`, `"question"`)
		testID, device := body["id"].(string), body["device"].(string)
		if strings.Contains(raw, `"result"`) || strings.Contains(raw, "explanation") {
			t.Fatalf("the start shows more than the question: %s", raw)
		}
		q := question(body)
		st, _, raw = cand.call("POST", "/api/v1/certifications/"+testID+"/answers", map[string]any{"challengeId": q["id"], "answer": "a"})
		expect("an answer without the device", st, 403, raw, `"code":"certification_other_device"`)
		cand.device = device
		st, _, raw = cand.call("GET", "/api/v1/certifications/"+testID, nil)
		expect("read with the device", st, 200, raw, `"answered":0`)
		st, body, raw = cand.call("POST", "/api/v1/certifications/"+testID+"/alerts", map[string]any{"reason": "image"})
		expect("alert", st, 201, raw)
		alertID := body["id"].(string)
		st, _, raw = inv.call("GET", "/api/v1/certification/supervision", nil)
		expect("the board shows the alert", st, 200, raw, `"id":"`+alertID+`"`, `"reason":"image"`, `"state":"in_progress"`)
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/alerts/"+alertID, map[string]any{"decision": "maybe"})
		expect("a bad decision", st, 400, raw)
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/alerts/"+alertID, map[string]any{"decision": "validate"})
		expect("validate", st, 200, raw)
		st, body, raw = cand.call("GET", "/api/v1/certifications/"+testID, nil)
		expect("the question was replaced", st, 200, raw)
		if question(body)["id"] == q["id"] {
			t.Fatal("the validated alert did not replace the question")
		}
		st, _, raw = cand.call("POST", "/api/v1/certifications/"+testID+"/focus", map[string]any{"challengeId": question(body)["id"]})
		expect("focus report", st, 204, raw)
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/candidates/"+candidateID+"/end", map[string]any{"reason": ""})
		expect("end without a reason", st, 400, raw)
		st, _, raw = inv.call("POST", "/api/v1/certification/supervision/candidates/"+candidateID+"/end", map[string]any{"reason": "Fraude constatée"})
		expect("end", st, 200, raw, `"state":"ended"`)
		st, body, raw = cand.call("GET", "/api/v1/certifications/"+testID, nil)
		expect("ended", st, 200, raw, `"state":"finished"`)
		if strings.Contains(raw, `"result"`) || strings.Contains(raw, `"score"`) {
			t.Fatalf("a certification shows its result before publication: %s", raw)
		}
		// Another session's token cannot act on this session's candidates.
		other := newCertSession(t, env)
		st, body, _ = anon.call("POST", "/api/v1/certification/supervision", map[string]any{"session": other.Number, "password": other.Password})
		otherInv := apiClient{t: t, env: env, token: body["token"].(string)}
		st, _, raw = otherInv.call("POST", "/api/v1/certification/supervision/candidates/"+candidateID+"/confirm", nil)
		expect("another session's token", st, 404, raw)
	})
}
