package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/certificates"
	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// waitCertificate waits for the attestation of a holder and returns it.
func waitCertificate(t *testing.T, env *testenv.Env, holderID string, revoked bool) certificates.Certificate {
	t.Helper()
	var c certificates.Certificate
	testenv.Eventually(t, 20*time.Second, "the attestation", func() bool {
		list, _ := env.Sys.Certificates.ForHolder(testenv.Ctx(t), holderID)
		if len(list) == 1 && list[0].Revoked == revoked {
			c = list[0]
			return true
		}
		return false
	})
	return c
}

// TestPublicVerificationHidesTheReason: an inspector rejects a credited
// line with a personal reason; the attestation is revoked. The public
// verification, page and API, says it is revoked and when, never why; the
// holder still reads the reason in their own list.
func TestPublicVerificationHidesTheReason(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		const slug = "module-motif"
		const reason = "Motif médical confidentiel"
		quickModule(t, env, slug, "formatrice-motif", 60)
		teacher := env.CreateUser(t, profile.RoleLearner)
		line := completeModule(t, env, teacher, slug)
		cert := waitCertificate(t, env, teacher.ID, false)
		insp := apiClientFor(t, env, env.CreateUser(t, profile.RoleInspector))
		if st, _, raw := insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{line.ID}, "action": "reject", "reason": reason}); st != 200 {
			t.Fatalf("reject: %d %s", st, raw)
		}
		waitCertificate(t, env, teacher.ID, true)

		anon := apiClient{t: t, env: env, header: &http.Header{}}
		st, body, raw := anon.call("GET", "/api/v1/certificates/"+cert.Code, nil)
		if st != 200 || body["revoked"] != true || body["valid"] != false || body["revokedAt"] == nil {
			t.Fatalf("public API: %d %s", st, raw)
		}
		if strings.Contains(raw, "revokedReason") || strings.Contains(raw, "médical") {
			t.Errorf("the public API shows the reason: %s", raw)
		}
		_, page := get(t, env, env.Client(), "/verifier/"+cert.Code)
		if !strings.Contains(page, "Attestation révoquée") {
			t.Fatal("the public page does not say the attestation is revoked")
		}
		if strings.Contains(page, "médical") {
			t.Error("the public page shows the reason")
		}
		if _, _, raw := apiClientFor(t, env, teacher).call("GET", "/api/v1/certificates", nil); !strings.Contains(raw, reason) {
			t.Errorf("the holder does not read the reason: %s", raw)
		}
	})
}

// TestAttestationAfterErasureNamesNobody: a teacher finishes a module with
// too little time (the line waits for review), erases their account, then
// an inspector validates the line: the attestation issued then names
// "Compte supprimé" on the public verification (page and API) and on the
// PDF, never the person.
func TestAttestationAfterErasureNamesNobody(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		const slug = "module-efface"
		apiModule(t, env, slug)
		teacher := env.CreateUser(t, profile.RoleLearner)
		api := apiClientFor(t, env, teacher)
		base := "/api/v1/enrolments/" + slug
		for _, step := range []struct {
			path string
			body any
		}{
			{"/api/v1/modules/" + slug + "/enrolment", nil},
			{base + "/views", map[string]any{"page": "01-intro"}},
			{base + "/answers", map[string]any{"quiz": "q1", "choice": []string{"a", "b"}}},
			{base + "/views", map[string]any{"page": "02-suite"}},
			{base + "/finish", nil},
		} {
			if st, _, raw := api.call("POST", step.path, step.body); st >= 300 {
				t.Fatalf("%s: %d %s", step.path, st, raw)
			}
		}
		lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(time.Now()))
		testenv.Eventually(t, 20*time.Second, "the line to review", func() bool {
			l, _ := env.Sys.Courses.Line(ctx, lineID)
			return l != nil && l.State == courses.StateToReview
		})
		if resp, _ := env.PostForm(t, env.LoggedIn(t, teacher), "/profil/supprimer", url.Values{"password": {testenv.TestPassword}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("erase: %d", resp.StatusCode)
		}
		insp := apiClientFor(t, env, env.CreateUser(t, profile.RoleInspector))
		if st, _, raw := insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{lineID}, "action": "validate"}); st != 200 || !strings.Contains(raw, lineID) {
			t.Fatalf("validate: %d %s", st, raw)
		}
		cert := waitCertificate(t, env, teacher.ID, false)
		if cert.HolderName != profile.DeletedName {
			t.Fatalf("the record names %q", cert.HolderName)
		}
		_, body, raw := apiClient{t: t, env: env}.call("GET", "/api/v1/certificates/"+cert.Code, nil)
		if body["holderName"] != profile.DeletedName || strings.Contains(raw, teacher.Name) {
			t.Errorf("public API: %s", raw)
		}
		if _, page := get(t, env, env.Client(), "/verifier/"+cert.Code); !strings.Contains(page, profile.DeletedName) || strings.Contains(page, teacher.Name) {
			t.Error("the public page names the erased holder")
		}
		pdf, _, err := env.Sys.Certificates.PDF(ctx, cert.ID, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if text := testenv.PDFText(pdf); strings.Contains(text, teacher.Name) || !strings.Contains(text, "Compte supprim") {
			t.Errorf("the PDF does not print %q instead of the name", profile.DeletedName)
		}
	})
}
