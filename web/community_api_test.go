package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// trusted makes an account old enough, with enough posts, to be trusted.
func trusted(t *testing.T, env *testenv.Env, u *profile.User) {
	t.Helper()
	env.MakeTrusted(t, u, 72*time.Hour, 20)
}

// onePixelPNG is a valid 1×1 PNG.
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

func uploadImage(t *testing.T, env *testenv.Env, token string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("image", "x.png")
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/images", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// TestCommunityAPI: threads and posts through the API, the refusal codes,
// images, and the store commands of a thread page, the same on the first
// and the last page.
func TestCommunityAPI(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		vet := env.CreateUser(t, profile.RoleLearner)
		trusted(t, env, vet)
		api := apiClientFor(t, env, vet)
		newbie := apiClientFor(t, env, env.CreateUser(t, profile.RoleLearner))

		st, _, raw := api.call("GET", "/api/v1/spaces", nil)
		if st != 200 || !strings.Contains(raw, `"id":"academie-lyon"`) || strings.Contains(raw, `"id":"academie-paris"`) {
			t.Fatalf("spaces: %d %s", st, raw)
		}
		if st, _, _ := api.call("GET", "/api/v1/spaces/academie-paris/threads", nil); st != 404 {
			t.Fatalf("another académie's space: %d", st)
		}
		st, body, raw := api.call("POST", "/api/v1/spaces/academie-lyon/threads", map[string]any{"title": "Un fil pour l'API", "body": "Premier message.", "question": true})
		if st != 201 {
			t.Fatalf("new thread: %d %s", st, raw)
		}
		thread := body["id"].(string)
		st, _, raw = api.call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": "Premier message."})
		if st != 422 || !strings.Contains(raw, `"code":"duplicate_post"`) {
			t.Fatalf("duplicate: %d %s", st, raw)
		}
		st, _, raw = api.call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": "Un second, trop vite."})
		if st != 429 || !strings.Contains(raw, `"code":"rate_limited"`) || api.header.Get("Retry-After") == "" {
			t.Fatalf("rate limit: %d %s", st, raw)
		}
		if st, raw := uploadImage(t, env, newbie.token, onePixelPNG); st != 422 || !strings.Contains(raw, `"code":"trust_images"`) {
			t.Fatalf("a new account uploaded an image: %d %s", st, raw)
		}
		if st, raw := uploadImage(t, env, api.token, []byte("<svg onload=alert(1)>")); st != 400 || !strings.Contains(raw, `"image":`) {
			t.Fatalf("an SVG passed as an image: %d %s", st, raw)
		}
		st, img := uploadImage(t, env, api.token, onePixelPNG)
		if st != 201 || !strings.Contains(img, `"url":"/communaute/images/`) {
			t.Fatalf("upload: %d %s", st, img)
		}
		var up struct{ URL string }
		if err := json.Unmarshal([]byte(img), &up); err != nil {
			t.Fatal(err)
		}
		url := up.URL
		resp, err := http.Get(env.URL + url)
		if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("image served: %v %+v", err, resp)
		}
		resp.Body.Close()
		st, _, raw = newbie.call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": "Trois liens : https://a.fr https://b.fr https://c.fr"})
		if st != 422 || !strings.Contains(raw, `"code":"trust_links"`) {
			t.Fatalf("a new account posted three links: %d %s", st, raw)
		}
		// Fill the thread over two pages, lifting the rate limit between posts.
		ctx := testenv.Ctx(t)
		for i := 0; i < community.PageSize+5; i++ {
			env.Sys.Limiter.Reset(ctx, "post-gap:"+vet.ID)
			env.Sys.Limiter.Reset(ctx, "post-hour:"+vet.ID)
			if st, _, raw := api.call("POST", "/api/v1/threads/"+thread+"/posts", map[string]any{"body": fmt.Sprintf("Réponse numéro %d ![schéma](%s)", i, url)}); st != 201 {
				t.Fatalf("reply %d: %d %s", i, st, raw)
			}
		}
		commands := func(path string) int {
			api.call("GET", path, nil) // the first read caches the space
			st, _, raw := api.call("GET", path, nil)
			if st != 200 {
				t.Fatalf("%s: %d %s", path, st, raw)
			}
			n, _ := strconv.Atoi(api.header.Get("X-Store-Commands"))
			return n
		}
		first := commands("/api/v1/threads/" + thread)
		st, body, _ = api.call("GET", "/api/v1/threads/"+thread, nil)
		next := body["next"].(string)
		last := commands("/api/v1/threads/" + thread + "?after=" + next)
		if first > 5 || first != last {
			t.Errorf("a thread page costs %d store commands on the first page and %d on the last (want the same, ≤ 5)", first, last)
		}
		if n := commands("/api/v1/spaces/academie-lyon/threads"); n > 5 {
			t.Errorf("a space's thread list costs %d store commands", n)
		}
		st, body, raw = api.call("GET", "/api/v1/search?q=reponse+numero&space=academie-lyon", nil)
		if st != 200 || body["next"] == "" || len(body["results"].([]any)) != community.PageSize {
			t.Fatalf("search: %d %s", st, raw)
		}
	})
}
