package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/certification"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestJuryPages: the référent's finalization form (a missing reason named
// after its candidate, a fraud report kept), the jury's queue and session
// page, an admin who is the centre's référent refused as its jury, a
// publication refused while a test awaits its decision, a decision refused
// without its comment, publication, the certificate's link, and its
// revocation (a reason required) that the public verification shows.
func TestJuryPages(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		refUser := env.CreateUser(t, profile.RoleAdmin)
		anne := env.CreateUser(t, profile.RoleLearner)
		sessionID, testID := certifiedSession(t, env, refUser, anne)
		var x certification.Session
		if err := env.Sys.DB.Collection(certification.SessionsCollection).FindOne(ctx, bson.M{"_id": sessionID}).Decode(&x); err != nil {
			t.Fatal(err)
		}
		// certifiedSession stores the centre as it is; its référent's desk lists it.
		if _, err := env.Sys.DB.Collection(certification.DesksCollection).InsertOne(ctx, bson.M{"_id": refUser.ID,
			"centres": []string{x.CentreID}, "sessions": []string{sessionID}}); err != nil {
			t.Fatal(err)
		}
		absent, err := env.Sys.Certification.AddCandidate(ctx, refUser, sessionID, certification.CandidateInput{LastName: "Martin",
			FirstName: "Léa", BirthDate: "02/04/1985", Email: "lea.martin@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		ref, jury := env.LoggedIn(t, refUser), env.LoggedIn(t, env.CreateUser(t, profile.RoleAdmin))
		p := formPages{t, env}
		expect, page, post := p.expect, p.page, p.post
		sessionPage, juryPage := "/certification/centre/sessions/"+sessionID, "/admin/jury/"+sessionID

		// The référent's form: a reason for the absent candidate only.
		st, body := page(ref, sessionPage)
		expect("the session page", st, 200, body, `id="finalize-session"`, `id="reason.`+absent.ID+`"`, `id="category.c1"`)
		if strings.Contains(body, `id="reason.c1"`) {
			t.Fatal("a reason is asked for a finished test")
		}
		st, body, _ = post(ref, sessionPage+"/finaliser", url.Values{"comment": {"RAS"}, "category.c1": {"fraud"}})
		expect("no reason, a report without its text", st, 422, body, `href="#reason.`+absent.ID+`"`, "Martin Léa : Ce champ est obligatoire.",
			`href="#report.c1"`, `<option value="fraud" selected>`, ">RAS</textarea>")
		st, _, loc := post(ref, sessionPage+"/finaliser", url.Values{"comment": {"RAS"}, "incidents": {"1"},
			"reason." + absent.ID: {"Absente"}, "category.c1": {"fraud"}, "report.c1": {"Téléphone consulté pendant le test"}})
		expect("finalized", st, 303, loc)
		if loc != sessionPage+"?finalisee=1" {
			t.Fatalf("finalized to %q", loc)
		}
		st, body = page(ref, loc)
		expect("the report", st, 200, body, `id="finalized"`, "En cours d&#39;examen par le jury", "Petit Anne — Fraude : Téléphone consulté pendant le test")
		if strings.Contains(body, `id="finalize-session"`) {
			t.Fatal("the finalization form is still there")
		}

		// The jury: never the centre's référent, even an admin.
		st, body = page(ref, juryPage)
		expect("the référent as jury", st, 403, body, "ni le référent")
		st, body = page(jury, "/admin/jury")
		expect("the queue", st, 200, body, `href="`+juryPage+`"`, `href="/admin/jury" aria-current="page"`)
		st, body = page(jury, juryPage)
		expect("the jury page", st, 200, body, "À examiner", "Une fraude est signalée par le référent", `id="decide-`+testID+`"`,
			"Téléphone consulté pendant le test", "Présence confirmée par le surveillant")

		// Publication waits for the decision; a rejection needs its comment.
		st, body, _ = post(jury, juryPage+"/publier", nil)
		expect("publish too early", st, 422, body, `id="publish"`, "attend la décision du jury")
		st, body, _ = post(jury, juryPage+"/tests/"+testID, url.Values{"decision": {"reject"}})
		expect("reject without a comment", st, 422, body, `href="#comment.`+testID+`"`, `id="decision-`+testID+`-reject" name="decision" value="reject" checked`)
		st, _, loc = post(jury, juryPage+"/tests/"+testID, url.Values{"decision": {"validate"}, "comment": {"Signalement sans effet sur le test."}})
		expect("validated", st, 303, loc)
		st, _, loc = post(jury, juryPage+"/publier", nil)
		expect("published", st, 303, loc)
		st, body = page(jury, "/admin/jury")
		expect("the queue after", st, 200, body, "Aucune session n&#39;attend le jury.")

		// The certificate, then its revocation.
		env.DrainQueues(t, 30*time.Second)
		st, body = page(jury, juryPage)
		expect("the published page", st, 200, body, "Résultats publiés", `href="/verifier/C-`, `id="revoke-`+testID+`"`)
		code := body[strings.Index(body, `href="/verifier/C-`)+len(`href="/verifier/`):]
		code = code[:strings.Index(code, `"`)]
		st, body, _ = post(jury, juryPage+"/tests/"+testID+"/revoquer", url.Values{"reason": {""}})
		expect("a revocation without its reason", st, 422, body, `href="#reason.`+testID+`"`)
		st, _, loc = post(jury, juryPage+"/tests/"+testID+"/revoquer", url.Values{"reason": {"Fraude établie après enquête"}})
		expect("revoked", st, 303, loc)
		st, body = page(&http.Client{}, "/verifier/"+code)
		expect("the verification", st, 200, body, "Certificat révoqué")
	})
}
