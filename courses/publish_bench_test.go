package courses_test

import (
	"testing"

	"ardoise/courses"
	"ardoise/internal/testenv"
)

// BenchmarkPublishTwentyPages measures a publication as a trainer waits
// for it: the draft saved (files stored by hash), then checked, rendered,
// numbered and stored with its rendering. On the embedded store, or on
// FerretDB over PostgreSQL with ARDOISE_BENCH_BACKEND=postgres.
func BenchmarkPublishTwentyPages(b *testing.B) {
	env := testenv.New(b, testenv.WithBackend(testenv.BenchBackend()), testenv.WithoutServer(), testenv.WithoutWorker())
	ctx := testenv.Ctx(b)
	src := courses.TwentyPages()
	owner := courses.Author{ID: "formatrice"}
	for b.Loop() {
		if _, _, err := env.Sys.Courses.SaveDraft(ctx, owner, "vingt-pages", src); err != nil {
			b.Fatal(err)
		}
		if _, err := env.Sys.Courses.Publish(ctx, owner, "vingt-pages", "mesure"); err != nil {
			b.Fatal(err)
		}
	}
}
