package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ardoise/courses"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// publishInBrowser uploads src zipped on the trainer's module page, waits
// for the draft, and publishes it with a note. The browser is signed in as
// a trainer.
func publishInBrowser(t *testing.T, env *testenv.Env, ctx context.Context, slug string, src courses.Source) {
	t.Helper()
	raw, err := src.Zip(slug)
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), slug+".zip")
	if err := os.WriteFile(zipPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/formation/modules"),
		chromedp.WaitVisible(chromedp.ID("zip")),
		chromedp.SetUploadFiles(chromedp.ID("zip"), []string{zipPath}),
		chromedp.Click(chromedp.CSS(`form[action="/formation/modules/import"] button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the draft saved", `document.readyState === 'complete' && !!document.querySelector('.notice') && !!document.getElementById('note-`+slug+`')`)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("note-"+slug), "Première version"),
		chromedp.Click(chromedp.CSS(`form[action="/formation/modules/`+slug+`/publier"] button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the publication", `document.readyState === 'complete' && location.search.indexOf('published') >= 0`)
}

// TestBrowserTrainerImportsAndPublishes: a trainer uploads a zipped module
// from the browser, sees it saved without error, and publishes it.
func TestBrowserTrainerImportsAndPublishes(t *testing.T) {
	env := testenv.New(t)
	u := env.CreateUser(t, profile.RoleTrainer)
	src, err := courses.SourceFromFS(os.DirFS("../courses/content/documents-accessibles"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	if err := chromedp.Do(ctx, signIn(env, u.Email, testenv.TestPassword)); err != nil {
		t.Fatal(err)
	}
	publishInBrowser(t, env, ctx, "documents-essai", src)
	row := read(t, ctx, "row", chromedp.Text(chromedp.CSS(`main table tbody tr`)))
	if !strings.Contains(row, "documents-essai") || !strings.Contains(row, "1") {
		t.Errorf("module row after publication: %q", row)
	}
	if _, err := env.Sys.Courses.Published(testenv.Ctx(t), "documents-essai", 1); err != nil {
		t.Errorf("version 1 not published: %v", err)
	}
}
