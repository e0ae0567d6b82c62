package courses_test

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/markdown"
	"ardoise/internal/testenv"
)

func validSource() courses.Source {
	return courses.Source{Files: map[string][]byte{
		"module.md":    []byte("---\ntitle: Un module d'essai\nsummary: Pour les tests.\naudience: teachers\ncompetences: [\"4.2\"]\nduration_minutes: 30\ncompletion: {min_active_share: 0.5, min_quiz_score: 0.5}\n---\nBonjour.\n"),
		"01-intro.md":  []byte("---\ntitle: Introduction\n---\nTexte **gras**.\n\n```quiz\nid: q1\ntype: qcu\nquestion: Oui ?\nproposals:\n  - {id: a, text: Oui, feedback: Bien.}\n  - {id: b, text: Non, feedback: Non.}\nsolution: a\nexplanation: Parce que.\n```\n"),
		"images/a.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`),
	}}
}

func TestDraftPublishExport(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		svc := env.Sys.Courses
		ctx := testenv.Ctx(t)
		owner := courses.Author{ID: "formatrice-1"}
		src := validSource()
		if _, problems, err := svc.SaveDraft(ctx, owner, "module-essai", src); err != nil || len(problems) != 0 {
			t.Fatalf("draft: %v %v", err, problems)
		}
		if _, _, err := svc.SaveDraft(ctx, courses.Author{ID: "autre"}, "module-essai", src); !errors.Is(err, errkind.ErrForbidden) {
			t.Errorf("another trainer edited the module: %v", err)
		}
		if _, err := svc.Publish(ctx, courses.Author{ID: "autre"}, "module-essai", "x"); !errors.Is(err, errkind.ErrForbidden) {
			t.Errorf("another trainer published the module: %v", err)
		}
		v1, err := svc.Publish(ctx, owner, "module-essai", "première version")
		if err != nil || v1.Number != 1 || v1.Hash != src.Hash() {
			t.Fatalf("publish: %+v %v", v1, err)
		}
		back, err := svc.Export(ctx, "module-essai", 1)
		if err != nil || back.Hash() != src.Hash() {
			t.Fatalf("export is not the import: %v", err)
		}
		m, err := svc.Published(ctx, "module-essai", 1)
		if err != nil || len(m.Pages) != 1 || len(m.Quizzes()) != 1 || !strings.Contains(m.Pages[0].Blocks[0].HTML, "<strong>gras</strong>") {
			t.Fatalf("published module: %+v %v", m, err)
		}
		// A broken draft is saved but cannot be published.
		broken := validSource()
		broken.Files["01-intro.md"] = []byte("pas de front matter")
		if _, problems, err := svc.SaveDraft(ctx, courses.Author{ID: "admin", Admin: true}, "module-essai", broken); err != nil || len(problems) == 0 {
			t.Fatalf("broken draft: %v %v", err, problems)
		}
		var pe *courses.ProblemsError
		if _, err := svc.Publish(ctx, owner, "module-essai", ""); !errors.As(err, &pe) || !errors.Is(err, errkind.ErrInvalid) {
			t.Fatalf("publishing a broken draft: %v", err)
		}
		// Concurrent publications get distinct numbers or a conflict, never one number twice.
		svc.SaveDraft(ctx, owner, "module-essai", src)
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); svc.Publish(ctx, owner, "module-essai", "en même temps") }()
		}
		wg.Wait()
		vs, err := env.Sys.Courses.Versions(ctx, "module-essai")
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, v := range vs {
			if seen[v.Number] {
				t.Errorf("version %d published twice", v.Number)
			}
			seen[v.Number] = true
		}
	})
}

func TestShippedModulesParse(t *testing.T) {
	env := testenv.New(t, testenv.WithoutServer(), testenv.WithoutWorker())
	entries, err := os.ReadDir("content")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		src, err := courses.SourceFromFS(os.DirFS("content/" + e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m, problems := courses.Parse(e.Name(), src, env.Sys.Assessments.Bank().HasCompetence)
		for _, p := range problems {
			t.Errorf("%s/%s", e.Name(), p)
		}
		if len(m.Pages) < 4 || len(m.Quizzes()) < 4 {
			t.Errorf("%s: %d pages, %d quizzes (want 4+ each)", e.Name(), len(m.Pages), len(m.Quizzes()))
		}
	}
}

// The rendering of a version is stored with its policy version; a
// rendering made by another policy is rendered again from the source.
func TestRenderingStoredAndRerendered(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	svc := env.Sys.Courses
	owner := courses.Author{ID: "formatrice"}
	if _, _, err := svc.SaveDraft(ctx, owner, "module-rendu", validSource()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, owner, "module-rendu", "v1"); err != nil {
		t.Fatal(err)
	}
	store := courses.NewStore(env.Sys.DB, env.Sys.Claims)
	if ok, err := store.RenderedWith(ctx, "module-rendu@1", markdown.PolicyVersion); !ok {
		t.Fatalf("no rendering stored with policy %s (%v)", markdown.PolicyVersion, err)
	}
	// A fresh process reads the stored rendering.
	other := env.Restarted(t)
	m, err := other.Courses.Published(ctx, "module-rendu", 1)
	if err != nil || !strings.Contains(m.Pages[0].Blocks[0].HTML, "<strong>gras</strong>") || len(m.Quizzes()) != 1 {
		t.Fatalf("rendering read back: %+v %v", m, err)
	}
	if err := store.RestampRendering(ctx, "module-rendu@1", markdown.PolicyVersion, "ancienne"); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Rerender(ctx, false)
	if err != nil || rep.Rerendered != 1 || rep.Versions < 1 {
		t.Fatalf("rerender: %+v %v", rep, err)
	}
	if rep, _ := svc.Rerender(ctx, false); rep.Rerendered != 0 {
		t.Fatalf("rerendered again what is current: %+v", rep)
	}
}
