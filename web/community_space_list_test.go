package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestSpaceListPages: a space of 45 threads read page by page, through
// the API (following `next`, a sort key and a list page) and through the
// space's HTML page (following its "older" link): every thread once, the
// newest first; a malformed cursor hint is ignored, not an error.
func TestSpaceListPages(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		u := env.CreateUser(t, profile.RoleLearner)
		trusted(t, env, u)
		api := apiClientFor(t, env, u)
		var made []string
		for i := range 45 {
			env.Sys.Limiter.Reset(ctx, "post-gap:"+u.ID)
			env.Sys.Limiter.Reset(ctx, "post-hour:"+u.ID)
			st, body, raw := api.call("POST", "/api/v1/spaces/parents-parents/threads",
				map[string]any{"title": fmt.Sprintf("Sujet de liste %02d", i), "body": fmt.Sprintf("Message du sujet %d.", i)})
			if st != 201 {
				t.Fatalf("thread %d: %d %s", i, st, raw)
			}
			made = append([]string{body["id"].(string)}, made...) // newest first
		}
		var got []string
		for after, n := "", 0; n < 10; n++ {
			st, body, raw := api.call("GET", "/api/v1/spaces/parents-parents/threads?after="+after, nil)
			if st != 200 {
				t.Fatalf("page after %q: %d %s", after, st, raw)
			}
			for _, th := range body["threads"].([]any) {
				got = append(got, th.(map[string]any)["id"].(string))
			}
			after, _ = body["next"].(string)
			if after == "" {
				break
			}
			if !strings.Contains(after, "~") {
				t.Errorf("the cursor %q carries no list page", after)
			}
		}
		if strings.Join(got, " ") != strings.Join(made, " ") {
			t.Fatalf("the API lists\n  %v\nwant\n  %v", got, made)
		}
		if st, body, raw := api.call("GET", "/api/v1/spaces/parents-parents/threads?after=0~x", nil); st != 200 || len(body["threads"].([]any)) != 0 {
			t.Fatalf("a malformed hint: %d %s", st, raw)
		}

		cookie, _ := env.Sys.Profile.NewSession(u)
		older := regexp.MustCompile(`href="(/communaute/parents-parents\?apres=[^"]+)"`)
		var seen int
		for path, n := "/communaute/parents-parents", 0; path != "" && n < 10; n++ {
			req, _ := http.NewRequest("GET", env.URL+path, nil)
			req.AddCookie(&http.Cookie{Name: "ardoise_session", Value: cookie})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
			for _, id := range made {
				if strings.Contains(string(raw), "/communaute/fils/"+id) {
					seen++
				}
			}
			path = ""
			if m := older.FindStringSubmatch(string(raw)); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if seen != len(made) {
			t.Errorf("the space's pages link %d of the %d threads", seen, len(made))
		}
	})
}
