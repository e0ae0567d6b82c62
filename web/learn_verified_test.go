package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestEnrolmentNeedsAVerifiedAddress: a registered account whose address is
// not verified yet is refused enrolment by the API (403 email_unverified)
// and by the page (403, in French; the module page says why instead of
// offering the button); once verified, it enrols. An enrolment made before
// the rule and completed unverified gives a line to review, not hours.
func TestEnrolmentNeedsAVerifiedAddress(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		const slug = "module-verifie"
		quickModule(t, env, slug, "formatrice-verifie", 60)
		u, err := env.Sys.Profile.Register(ctx, profile.RegisterInput{Email: fmt.Sprintf("nv%d@exemple.fr", time.Now().UnixNano()),
			Password: testenv.TestPassword, Name: "Nina Nonvérifiée", Kind: string(profile.KindTeacher),
			Territory: profile.Territory{Academie: "lyon", Departement: "69"}})
		if err != nil {
			t.Fatal(err)
		}
		api := apiClientFor(t, env, u)
		st, _, raw := api.call("POST", "/api/v1/modules/"+slug+"/enrolment", nil)
		if st != http.StatusForbidden || !strings.Contains(raw, `"code":"email_unverified"`) {
			t.Fatalf("API enrolment unverified: %d %s", st, raw)
		}
		c := env.LoggedIn(t, u)
		if _, page := get(t, env, c, "/modules/"+slug); !strings.Contains(page, `id="enrol-unverified"`) || strings.Contains(page, `id="enrol"`) {
			t.Fatal("the module page offers enrolment to an unverified account")
		}
		resp, body := env.PostForm(t, c, "/modules/"+slug+"/inscription", nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Confirmez d") {
			t.Fatalf("page enrolment unverified: %d", resp.StatusCode)
		}
		if _, _, err := env.Sys.Courses.Enrolment(ctx, u.ID, slug); err == nil {
			t.Fatal("an enrolment was stored")
		}
		// The person follows the link of their welcome mail.
		if resp, body := get(t, env, env.Client(), linkIn(t, waitMail(t, env, u.Email, "Bienvenue"))); resp.StatusCode != http.StatusOK || !strings.Contains(body, "adresse est vérifiée") {
			t.Fatalf("verify: %d %.300s", resp.StatusCode, body)
		}
		if st, _, raw := api.call("POST", "/api/v1/modules/"+slug+"/enrolment", nil); st != http.StatusCreated {
			t.Fatalf("enrol once verified: %d %s", st, raw)
		}

		// Enrolled, then no longer verified (as an enrolment from before the rule).
		if err := profile.NewStore(env.Sys.DB).MarkEmailUnverified(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if st, _, raw := api.call("POST", "/api/v1/enrolments/"+slug+"/views", map[string]any{"page": "01-intro"}); st != 200 {
			t.Fatalf("view: %d %s", st, raw)
		}
		var l *courses.Line
		testenv.Eventually(t, 20*time.Second, "the line", func() bool {
			l, _ = env.Sys.Courses.Line(ctx, courses.LineID(u.ID, slug, courses.SchoolYear(time.Now())))
			return l != nil
		})
		if l.State != courses.StateToReview || l.LastReason() != courses.ReasonEmailUnverified {
			t.Fatalf("unverified completion: %s %q", l.State, l.LastReason())
		}
	})
}

// TestModulePreviewsNeedAVerifiedAddressAndAreLimited: the module editor's
// preview renders Markdown on the server: 60 a minute per account (the
// 61st is 429 with Retry-After), and none for an unverified account.
func TestModulePreviewsNeedAVerifiedAddressAndAreLimited(t *testing.T) {
	env := testenv.New(t)
	trainer := env.CreateUser(t, profile.RoleTrainer)
	const slug = "module-apercu"
	quickModule(t, env, slug, trainer.ID, 60)
	path := "/formation/modules/" + slug + "/fichiers/01-intro.md"
	preview := url.Values{"source": {"---\ntitle: Introduction\n---\n> > citation\n"}, "action": {"preview"}}
	c := env.LoggedIn(t, trainer)
	for i := range 60 {
		if resp, _ := env.PostForm(t, c, path, preview); resp.StatusCode != http.StatusOK {
			t.Fatalf("preview %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, _ := env.PostForm(t, c, path, preview)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("61st preview in a minute: %d", resp.StatusCode)
	}

	unverified := env.CreateUnverified(t, profile.RoleTrainer)
	quickModule(t, env, slug+"-2", unverified.ID, 60)
	resp, body := env.PostForm(t, env.LoggedIn(t, unverified), "/formation/modules/"+slug+"-2/fichiers/01-intro.md", preview)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Confirmez d") {
		t.Fatalf("preview by an unverified account: %d", resp.StatusCode)
	}
}
