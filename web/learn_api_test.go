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

// apiModule publishes a two-page module of 10 minutes (half must be active)
// with one quiz, owned by a trainer of the test.
func apiModule(t *testing.T, env *testenv.Env, slug string) {
	t.Helper()
	src := courses.Source{Files: map[string][]byte{
		"module.md": []byte("---\ntitle: Module d'API\nsummary: Essai.\naudience: teachers\ncompetences: [\"4.2\"]\nduration_minutes: 10\n" +
			"completion: {min_active_share: 0.5, min_quiz_score: 1}\n---\nBonjour.\n"),
		"01-intro.md": []byte("---\ntitle: Introduction\n---\nTexte.\n\n```quiz\nid: q1\ntype: qcm\nquestion: Lesquels ?\nproposals:\n" +
			"  - {id: a, text: A, feedback: Oui A.}\n  - {id: b, text: B, feedback: Oui B.}\n  - {id: c, text: C, feedback: Pas C.}\nsolution: [a, b]\nexplanation: A et B.\n```\n"),
		"02-suite.md": []byte("---\ntitle: Suite\n---\nLa suite.\n"),
	}}
	owner := courses.Author{ID: "formatrice-api"}
	if _, problems, err := env.Sys.Courses.SaveDraft(testenv.Ctx(t), owner, slug, src); err != nil || len(problems) > 0 {
		t.Fatalf("draft: %v %v", err, problems)
	}
	if _, err := env.Sys.Courses.Publish(testenv.Ctx(t), owner, slug, "v1"); err != nil {
		t.Fatal(err)
	}
}

func apiClientFor(t *testing.T, env *testenv.Env, u *profile.User) apiClient {
	tok, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), u, "test")
	if err != nil {
		t.Fatal(err)
	}
	return apiClient{t: t, env: env, token: tok, header: &http.Header{}}
}

// TestLearningAPI follows a module through the API, with every kind of bad
// input, the store commands a learning event costs, the hours to review,
// the inspector's decision and the public verification.
func TestLearningAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		const slug = "module-api"
		apiModule(t, env, slug)
		teacher := env.CreateUser(t, profile.RoleLearner)
		api := apiClientFor(t, env, teacher)
		base := "/api/v1/enrolments/" + slug
		expect := func(what string, status, want int, raw string, contains ...string) {
			t.Helper()
			expectResponse(t, what, status, want, raw, contains...)
		}
		st, _, raw := api.call("POST", base+"/views", map[string]any{"page": "01-intro"})
		expect("view before enrolling", st, 404, raw, `"code":"not_found"`)
		st, _, raw = api.call("POST", "/api/v1/modules/"+slug+"/enrolment", nil)
		expect("enrol", st, 201, raw, `"version":1`, `"pages":2`)
		st, _, raw = api.call("POST", base+"/views", map[string]any{"page": "01-intro"})
		expect("view", st, 200, raw, `"pagesSeen":1`)
		// Nobody reads another person's enrolment: another learner sees only their own.
		other := apiClientFor(t, env, env.CreateUser(t, profile.RoleLearner))
		st, _, raw = other.call("GET", "/api/v1/enrolments", nil)
		expect("another learner's enrolments", st, 200, raw)
		if strings.TrimSpace(raw) != "[]" {
			t.Fatalf("another learner sees: %s", raw)
		}
		st, _, raw = other.call("POST", base+"/views", map[string]any{"page": "01-intro"})
		expect("another learner's view", st, 404, raw)
		if n := api.header.Get("X-Store-Commands"); n != "2" {
			t.Errorf("a page view cost %s store commands, want 2", n)
		}
		st, _, raw = api.call("POST", base+"/heartbeats", map[string]any{"page": "01-intro"})
		expect("heartbeat too soon", st, 200, raw, `"activeSeconds":0`)
		if n := api.header.Get("X-Store-Commands"); n != "1" {
			t.Errorf("an ignored heartbeat cost %s store commands, want 1", n)
		}
		for _, bad := range []struct {
			what, path string
			body       any
			status     int
			contains   string
		}{
			{"unknown page", base + "/heartbeats", map[string]any{"page": "99-nulle"}, 404, `"not_found"`},
			{"not JSON", base + "/views", "page=01", 400, `"body":`},
			{"unknown field", base + "/views", map[string]any{"page": "01-intro", "minutes": 600}, 400, `"minutes":`},
			{"unknown quiz", base + "/answers", map[string]any{"quiz": "q9", "choice": []string{"a"}}, 404, `"not_found"`},
			{"no choice", base + "/answers", map[string]any{"quiz": "q1", "choice": []string{}}, 400, `"choice":"Ce champ est obligatoire."`},
			{"unknown proposal", base + "/answers", map[string]any{"quiz": "q1", "choice": []string{"a", "z"}}, 400, `"choice":"Cette valeur n'est pas reconnue."`},
			{"finish too early", base + "/finish", nil, 400, `"completion":"Le module n'est pas encore terminé`},
			{"unknown module", "/api/v1/modules/inconnu/enrolment", nil, 404, `"not_found"`},
		} {
			st, _, raw := api.call("POST", bad.path, bad.body)
			expect(bad.what, st, bad.status, raw, bad.contains)
		}
		st, _, raw = api.call("POST", base+"/answers", map[string]any{"quiz": "q1", "choice": []string{"a", "c"}})
		expect("wrong answer", st, 200, raw, `"correct":false`, "Pas C.")
		st, _, raw = api.call("POST", base+"/answers", map[string]any{"quiz": "q1", "choice": []string{"b", "a"}})
		expect("right answer", st, 200, raw, `"correct":true`, `"explanationHtml":"\u003cp\u003eA et B.`)
		st, _, raw = api.call("POST", base+"/views", map[string]any{"page": "02-suite"})
		expect("second page", st, 200, raw, `"pagesSeen":2`, `"met":false`)
		st, _, raw = api.call("POST", base+"/finish", nil)
		expect("finish with time short", st, 200, raw, `"state":"to-review"`)
		st, _, raw = api.call("POST", base+"/move", nil)
		expect("move a completed enrolment", st, 409, raw, `"conflict"`)

		lineID := courses.LineID(teacher.ID, slug, courses.SchoolYear(time.Now()))
		testenv.Eventually(t, 20*time.Second, "hours to review", func() bool {
			_, _, raw := api.call("GET", "/api/v1/hours", nil)
			return strings.Contains(raw, `"state":"to-review"`)
		})
		st, _, raw = api.call("GET", "/api/v1/inspection/hours", nil)
		expect("a teacher reads the territory's lines", st, 403, raw)

		insp := apiClientFor(t, env, env.CreateUser(t, profile.RoleInspector))
		st, _, raw = insp.call("GET", "/api/v1/inspection/hours?state=to-review", nil)
		expect("inspector's lines", st, 200, raw, lineID, `"activeMinutes":0`, `"neededMinutes":5`)
		st, _, raw = insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{lineID}, "action": "reject"})
		expect("reject without reason", st, 400, raw, `"reason":`)
		st, _, raw = insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{lineID}, "action": "approve"})
		expect("unknown action", st, 400, raw, `"action":`)
		st, _, raw = insp.call("POST", "/api/v1/inspection/hours/export", map[string]any{"schoolYear": "2026"})
		expect("bad school year", st, 400, raw, `"schoolYear":"L'année scolaire s'écrit 2026-2027."`)
		st, _, raw = insp.call("POST", "/api/v1/inspection/hours/review", map[string]any{"lines": []string{lineID}, "action": "validate", "reason": "Temps de lecture hors ligne attesté"})
		expect("validate", st, 200, raw, `"changed":["`+lineID+`"]`)

		var code string
		testenv.Eventually(t, 20*time.Second, "the attestation", func() bool {
			_, _, raw := api.call("GET", "/api/v1/certificates", nil)
			if i := strings.Index(raw, `"code":"`); i >= 0 {
				code = raw[i+8 : i+18]
				return true
			}
			return false
		})
		anon := apiClient{t: t, env: env, header: &http.Header{}}
		st, body, raw := anon.call("GET", "/api/v1/certificates/"+strings.ToLower(code[:5])+"-"+code[5:], nil)
		expect("public verification", st, 200, raw, `"valid":true`, `"holderName":"`+teacher.Name+`"`, `"hours":0.16`)
		for k := range body {
			if !strings.Contains(" code kind valid revoked revokedAt holderName title hours completedAt issuedAt ", " "+k+" ") {
				t.Errorf("the public verification shows %q", k)
			}
		}
		for i := range 40 {
			st, _, _ = anon.call("GET", fmt.Sprintf("/api/v1/certificates/ZZZZZZZZ%02d", i), nil)
			if st == http.StatusTooManyRequests {
				if anon.header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				return
			}
		}
		t.Error("public verification is not rate-limited")
	})
}

// TestLearningPagesWithoutJavaScript follows a module with plain forms and
// links, as a browser without JavaScript does.
func TestLearningPagesWithoutJavaScript(t *testing.T) {
	env := testenv.New(t)
	const slug = "module-sans-js"
	apiModule(t, env, slug)
	c := env.LoggedIn(t, env.CreateUser(t, profile.RoleLearner))
	_, body := get(t, env, c, "/modules?public=teachers")
	if !strings.Contains(body, `href="/modules/`+slug+`"`) {
		t.Fatal("module missing from the catalogue")
	}
	if _, body := get(t, env, c, "/modules?public=parents"); strings.Contains(body, `href="/modules/`+slug+`"`) {
		t.Fatal("a teachers' module listed for parents")
	}
	resp, _ := env.PostForm(t, c, "/modules/"+slug+"/inscription", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/modules/"+slug+"/pages/01-intro" {
		t.Fatalf("enrol: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := "/modules/" + slug + "/pages/01-intro"
	if _, body := get(t, env, c, page); !strings.Contains(body, `id="quiz-q1"`) || !strings.Contains(body, "1 page(s) vue(s) sur 2") {
		t.Fatalf("page: %s", body)
	}
	resp, _ = env.PostForm(t, c, page+"/quiz/q1", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("empty answer: %d", resp.StatusCode)
	}
	if _, body := get(t, env, c, resp.Header.Get("Location")); !strings.Contains(body, "Choisissez au moins une réponse.") {
		t.Fatal("no error for an empty answer")
	}
	resp, _ = env.PostForm(t, c, page+"/quiz/q1", url.Values{"choix": {"a", "b"}})
	if _, body := get(t, env, c, resp.Header.Get("Location")); !strings.Contains(body, "Bonne réponse.") || !strings.Contains(body, "A et B.") {
		t.Fatal("no feedback for the right answer")
	}
	if resp, body := env.PostForm(t, c, "/modules/"+slug+"/terminer", nil); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "pas encore terminé") {
		t.Fatalf("finish too early: %d", resp.StatusCode)
	}
}
