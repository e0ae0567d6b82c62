package web_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

func postZip(t *testing.T, env *testenv.Env, token, path string, body []byte) (int, string) {
	t.Helper()
	return postTyped(t, env, token, path, "application/zip", body)
}

func TestModulesAPI(t *testing.T) {
	env := testenv.New(t)
	tokenOf := func(r profile.Role) string {
		tok, _, err := env.Sys.Profile.CreateToken(testenv.Ctx(t), env.CreateUser(t, r), "t")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	trainer, other, learner := tokenOf(profile.RoleTrainer), tokenOf(profile.RoleTrainer), tokenOf(profile.RoleLearner)
	src, err := courses.SourceFromFS(os.DirFS("../courses/content/rgpd-en-classe"))
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := src.Zip("rgpd-essai")
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := postZip(t, env, learner, "/api/v1/modules/import", zipped); code != 403 {
		t.Errorf("a learner imported a module: %d", code)
	}
	code, body := postZip(t, env, trainer, "/api/v1/modules/import", zipped)
	if code != 201 || !strings.Contains(body, `"slug":"rgpd-essai"`) || !strings.Contains(body, `"problems":[]`) {
		t.Fatalf("import: %d %s", code, body)
	}
	if code, body := postZip(t, env, trainer, "/api/v1/modules/import?slug=autre", []byte("pas un zip")); code != 400 || !strings.Contains(body, "bad_zip") && !strings.Contains(body, `"body"`) {
		t.Errorf("garbage zip: %d %s", code, body)
	}
	publish := func(token string) (int, string) {
		api := apiClient{t: t, env: env, token: token}
		code, _, raw := api.call("POST", "/api/v1/modules/rgpd-essai/publish", map[string]string{"note": "première version"})
		return code, raw
	}
	if code, _ := publish(other); code != 403 {
		t.Errorf("another trainer published the module: %d", code)
	}
	if code, body := publish(trainer); code != 200 || !strings.Contains(body, `"version":1`) {
		t.Fatalf("publish: %d %s", code, body)
	}
	api := apiClient{t: t, env: env}
	code, m, raw := api.call("GET", "/api/v1/modules/rgpd-essai", nil)
	if code != 200 || m["version"].(float64) != 1 || m["durationMinutes"].(float64) != 90 {
		t.Fatalf("module: %d %s", code, raw)
	}
	var pages []any
	json.Unmarshal(mustJSON(m["pages"]), &pages)
	if len(pages) != 5 {
		t.Errorf("%d pages, want 5", len(pages))
	}
	if code, _, raw := api.call("GET", "/api/v1/modules", nil); code != 200 || !strings.Contains(raw, `"slug":"rgpd-essai"`) {
		t.Errorf("catalogue: %d %s", code, raw)
	}
	// A broken draft is kept but refused at publication, with file and line.
	broken := courses.Source{Files: map[string][]byte{"module.md": []byte("---\ntitle: x\n---\n")}}
	bz, _ := broken.Zip("rgpd-essai")
	if code, body := postZip(t, env, trainer, "/api/v1/modules/import", bz); code != 201 || !strings.Contains(body, `"file":"module.md"`) {
		t.Fatalf("broken draft: %d %s", code, body)
	}
	if code, body := publish(trainer); code != 422 || !strings.Contains(body, "module_problems") {
		t.Errorf("publishing a broken draft: %d %s", code, body)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestVersionsDiffAndRollback: two versions compared line by line, then
// the first republished as a third; another trainer sees none of it.
func TestVersionsDiffAndRollback(t *testing.T) {
	env := testenv.New(t)
	owner := env.CreateUser(t, profile.RoleTrainer)
	author := courses.Author{ID: owner.ID}
	ctx := testenv.Ctx(t)
	src, err := courses.SourceFromFS(os.DirFS("../courses/content/ent-et-messagerie"))
	if err != nil {
		t.Fatal(err)
	}
	svc := env.Sys.Courses
	svc.SaveDraft(ctx, author, "ent-essai", src)
	v1, err := svc.Publish(ctx, author, "ent-essai", "v1")
	if err != nil {
		t.Fatal(err)
	}
	changed := courses.Source{Files: map[string][]byte{}}
	for k, v := range src.Files {
		changed.Files[k] = v
	}
	changed.Files["module.md"] = []byte(strings.Replace(string(src.Files["module.md"]), "duration_minutes: 60", "duration_minutes: 75", 1))
	svc.SaveDraft(ctx, author, "ent-essai", changed)
	if _, err := svc.Publish(ctx, author, "ent-essai", "durée revue"); err != nil {
		t.Fatal(err)
	}
	c := env.LoggedIn(t, owner)
	resp, body := get(t, env, c, "/formation/modules/ent-essai/versions?de=1&a=2")
	if resp.StatusCode != 200 || !strings.Contains(body, "<del>- duration_minutes: 60</del>") || !strings.Contains(body, "<ins>+ duration_minutes: 75</ins>") {
		t.Fatalf("diff page: %d %.300s", resp.StatusCode, body)
	}
	other := env.LoggedIn(t, env.CreateUser(t, profile.RoleTrainer))
	if resp, _ := get(t, env, other, "/formation/modules/ent-essai/versions"); resp.StatusCode != 403 {
		t.Errorf("another trainer reads the versions: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, other, "/formation/modules/ent-essai/restaurer/1", nil); resp.StatusCode != 403 {
		t.Errorf("another trainer rolls back: %d", resp.StatusCode)
	}
	if resp, _ := env.PostForm(t, c, "/formation/modules/ent-essai/restaurer/1", nil); resp.StatusCode != 303 {
		t.Fatalf("rollback: %d", resp.StatusCode)
	}
	vs, _ := svc.Versions(ctx, "ent-essai")
	if len(vs) != 3 || vs[0].Number != 3 || vs[0].Hash != v1.Hash {
		t.Errorf("after rollback: %+v", vs)
	}
}

// TestPageEditorPreviewAndSave: a trainer previews a page edit (rendered on
// the server, hostile HTML neutralised, problems by line), then saves it.
func TestPageEditorPreviewAndSave(t *testing.T) {
	env := testenv.New(t)
	owner := env.CreateUser(t, profile.RoleTrainer)
	src, _ := courses.SourceFromFS(os.DirFS("../courses/content/parents-ecrans-et-ent"))
	if _, _, err := env.Sys.Courses.SaveDraft(testenv.Ctx(t), courses.Author{ID: owner.ID}, "parents-essai", src); err != nil {
		t.Fatal(err)
	}
	c := env.LoggedIn(t, owner)
	path := "/formation/modules/parents-essai/fichiers/01-l-ent-cote-parents.md"
	resp, body := get(t, env, c, path)
	if resp.StatusCode != 200 || !strings.Contains(body, `<textarea id="source"`) {
		t.Fatalf("editor: %d", resp.StatusCode)
	}
	edited := "---\ntitle: Page revue\n---\nBonjour **parents** <script>alert(1)</script> [x](javascript:alert(1))\n"
	resp, body = env.PostForm(t, c, path, map[string][]string{"source": {edited}, "action": {"preview"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Bonjour <strong>parents</strong>") || strings.Contains(body, "<script>alert") {
		t.Fatalf("preview: %d %.400s", resp.StatusCode, body)
	}
	resp, body = env.PostForm(t, c, path, map[string][]string{"source": {"pas de front matter"}, "action": {"preview"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "01-l-ent-cote-parents.md:1") {
		t.Errorf("broken preview: %d", resp.StatusCode)
	}
	if resp, _ = env.PostForm(t, c, path, map[string][]string{"source": {edited}, "action": {"save"}}); resp.StatusCode != 200 {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	draft, _ := env.Sys.Courses.Export(testenv.Ctx(t), "parents-essai", 0)
	if string(draft.Files["01-l-ent-cote-parents.md"]) != edited {
		t.Error("the draft was not saved")
	}
	if resp, _ := get(t, env, c, "/formation/modules/parents-essai/fichiers/..%2Fmodule.md"); resp.StatusCode != 404 {
		t.Errorf("a path outside the module: %d", resp.StatusCode)
	}
}
