package courses_test

import (
	"testing"
	"time"

	"ardoise/courses"
	"ardoise/internal/testenv"
)

// TestRecommendForReadsTheCatalogueOncePerTTL: a group's weakest
// competences get the published modules that train them, weakest first;
// a module published meanwhile shows once CatalogueTTL has passed, not
// before (the catalogue is read from memory in between).
func TestRecommendForReadsTheCatalogueOncePerTTL(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	svc := env.Sys.Courses
	now := time.Now().UTC()
	svc.SetClock(func() time.Time { return now })
	owner := courses.Author{ID: "formatrice-cache"}
	publish := func(slug string) {
		t.Helper()
		if _, _, err := svc.SaveDraft(testenv.Ctx(t), owner, slug, validSource()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(testenv.Ctx(t), owner, slug, "v1"); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(rs []courses.Recommendation) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Module.Slug+"@"+r.Competence)
		}
		return out
	}
	publish("module-cache-a")
	got, err := svc.RecommendFor(testenv.Ctx(t), []string{"1.1", "4.2"}, courses.AudienceTeachers, 4)
	if err != nil || len(got) != 1 || got[0].Module.Slug != "module-cache-a" || got[0].Competence != "4.2" {
		t.Fatalf("recommendations %v, %v", slugs(got), err)
	}
	if got, _ := svc.RecommendFor(testenv.Ctx(t), []string{"4.2"}, courses.AudienceParents, 4); len(got) != 0 {
		t.Errorf("a teachers' module recommended to parents: %v", slugs(got))
	}
	publish("module-cache-b")
	if got, _ := svc.RecommendFor(testenv.Ctx(t), []string{"4.2"}, "", 4); len(got) != 1 {
		t.Errorf("within the TTL the catalogue changed: %v", slugs(got))
	}
	now = now.Add(courses.CatalogueTTL)
	if got, _ := svc.RecommendFor(testenv.Ctx(t), []string{"4.2"}, "", 4); len(got) != 2 {
		t.Errorf("after the TTL: %v", slugs(got))
	}
	if got, _ := svc.RecommendFor(testenv.Ctx(t), nil, "", 4); got != nil {
		t.Errorf("no competence: %v", slugs(got))
	}
}
