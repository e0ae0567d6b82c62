package web_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/assessments"
	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// certifiedSession stores a centre whose référent is referent and a
// session of today with candidate as its only candidate, then runs the
// candidate's test to its end through the service: the state a session is
// in when the référent finalizes it.
func certifiedSession(t *testing.T, env *testenv.Env, referent, candidate *profile.User) (string, string) {
	t.Helper()
	ctx := testenv.Ctx(t)
	db := env.Sys.DB
	centre := certification.Centre{ID: fmt.Sprintf("%024x", rand.Uint64()), Name: "DRANE de Lyon",
		Territory: profile.Territory{Academie: "lyon"}, Referents: []string{referent.ID}, CreatedAt: time.Now()}
	x := certification.Session{ID: fmt.Sprintf("%024x", rand.Uint64()), Number: 100000 + rand.IntN(900000), CentreID: centre.ID,
		Kind: certification.KindCRCN, Date: time.Now().In(clock.Paris()).Format("2006-01-02"), Time: "00:00", Place: "DRANE",
		Room: "A1", Invigilator: "M. Surveillant", AccessCode: "KXQB47", InvigilatorPassword: "ACDE34", Status: certification.StatusCreated,
		Candidates: []certification.Candidate{{ID: "c1", LastName: "Petit", FirstName: "Anne", BirthDate: "1980-02-03",
			Email: candidate.EmailLower, State: certification.StateAbsent}}, Alerts: []certification.Alert{}}
	for coll, doc := range map[string]any{certification.CentresCollection: centre, certification.SessionsCollection: x,
		certification.NumbersCollection: bson.M{"_id": strconv.Itoa(x.Number), "sessionId": x.ID}} {
		if _, err := db.Collection(coll).InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	svc := env.Sys.Certification
	token, err := svc.Supervise(ctx, x.Number, "ACDE34")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Open(ctx, token); err != nil {
		t.Fatal(err)
	}
	handle, _, err := svc.CheckIn(ctx, candidate, certification.CheckInInput{Session: x.Number, LastName: "petit", FirstName: "Anne", BirthDate: "03/02/1980"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Confirm(ctx, token, "c1"); err != nil {
		t.Fatal(err)
	}
	st, err := svc.Start(ctx, candidate, handle, "KXQB47")
	if err != nil {
		t.Fatal(err)
	}
	tt := st.Test
	for n := 0; tt.State == assessments.StateStarted; n++ {
		ch, err := env.Sys.Assessments.Challenge(ctx, tt, tt.Current.ChallengeID)
		if err != nil {
			t.Fatal(err)
		}
		if tt, err = svc.Answer(ctx, candidate, tt.ID, st.Device, ch.ID, func(*assessments.Challenge) (assessments.Answer, error) {
			return ch.SampleAnswer(n%3 != 0), nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.CountFinished(ctx, tt); err != nil {
		t.Fatal(err)
	}
	return x.ID, tt.ID
}

// TestCertificationAfterAPI: the référent finalizes, the jury reads and
// validates, publishes; the worker issues the certificate; the candidate
// lists their result; the C- code verifies (API and page) with public
// fields only; the jury revokes.
func TestCertificationAfterAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		referentU, juryU, anneU := env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleLearner)
		sessionID, testID := certifiedSession(t, env, referentU, anneU)
		referent, jury, anne := apiClientFor(t, env, referentU), apiClientFor(t, env, juryU), apiClientFor(t, env, anneU)
		base := "/api/v1/certification/sessions/" + sessionID

		if st, _, raw := jury.call("POST", base+"/finalize", map[string]any{}); st != 403 || !strings.Contains(raw, "certification_not_referent") {
			t.Fatalf("the jury finalizes: %d %s", st, raw)
		}
		st, _, raw := referent.call("POST", base+"/finalize", map[string]any{"comment": "RAS", "incidents": false, "reports": []any{}})
		if st != 200 || !strings.Contains(raw, `"status":"in_review"`) || !strings.Contains(raw, `"mark":"validated"`) {
			t.Fatalf("finalize: %d %s", st, raw)
		}
		if st, _, raw := referent.call("GET", base+"/jury", nil); st != 403 || !strings.Contains(raw, "certification_not_jury") {
			t.Fatalf("the référent as jury: %d %s", st, raw)
		}
		if st, _, raw = jury.call("GET", base+"/jury", nil); st != 200 || !strings.Contains(raw, `"lastName":"Petit"`) {
			t.Fatalf("jury view: %d %s", st, raw)
		}
		if st, _, raw = jury.call("POST", "/api/v1/certifications/"+testID+"/jury", map[string]any{"decision": "reject"}); st != 400 {
			t.Fatalf("a rejection without a comment: %d %s", st, raw)
		}
		if st, _, raw = jury.call("POST", "/api/v1/certifications/"+testID+"/jury", map[string]any{"decision": "validate"}); st != 200 {
			t.Fatalf("validate: %d %s", st, raw)
		}
		if st, _, raw = jury.call("POST", base+"/publish", nil); st != 200 || !strings.Contains(raw, `"status":"published"`) {
			t.Fatalf("publish: %d %s", st, raw)
		}
		env.DrainQueues(t, 20*time.Second)
		var code string
		testenv.Eventually(t, 10*time.Second, "the result listed", func() bool {
			_, body, _ := anne.call("GET", "/api/v1/certifications", nil)
			list, _ := body["results"].([]any)
			if len(list) == 1 {
				code, _ = list[0].(map[string]any)["certificateCode"].(string)
			}
			return code != ""
		})
		if !strings.HasPrefix(code, "C-") {
			t.Fatalf("code %q", code)
		}
		if st, _, raw = referent.call("GET", "/api/v1/certifications", nil); st != 200 || !strings.Contains(raw, `"results":[]`) {
			t.Errorf("someone else's results: %d %s", st, raw)
		}
		st, body, raw := anne.call("GET", "/api/v1/certificates/"+code, nil)
		if st != 200 || body["kind"] != "certification-crcn" || body["valid"] != true || body["levels"] == nil {
			t.Fatalf("verify: %d %s", st, raw)
		}
		for _, private := range []string{"holderId", "history", "email", testID} {
			if strings.Contains(raw, private) {
				t.Errorf("the verification shows %s: %s", private, raw)
			}
		}
		resp, err := http.Get(env.URL + "/verifier/" + strings.ToLower(code))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(page), "sur 1024") || !strings.Contains(string(page), "Anne Petit") {
			t.Errorf("verification page: %d", resp.StatusCode)
		}
		if st, _, raw = referent.call("POST", "/api/v1/certifications/"+testID+"/revoke", map[string]any{"reason": "Fraude"}); st != 403 {
			t.Errorf("the référent revokes: %d %s", st, raw)
		}
		if st, _, raw = jury.call("POST", "/api/v1/certifications/"+testID+"/revoke", map[string]any{"reason": "Fraude établie"}); st != 200 || !strings.Contains(raw, `"revoked":true`) {
			t.Fatalf("revoke: %d %s", st, raw)
		}
		if _, body, _ = anne.call("GET", "/api/v1/certificates/"+code, nil); body["valid"] != false {
			t.Errorf("after revocation: %v", body)
		}
	})
}
