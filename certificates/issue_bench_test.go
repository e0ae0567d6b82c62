package certificates_test

import (
	"fmt"
	"testing"

	"ardoise/internal/testenv"
)

// BenchmarkIssue issues attestations one after the other, as one worker
// does: record, PDF (rendered and stored) and mail into the outbox, on the
// embedded store, or on FerretDB over PostgreSQL with
// ARDOISE_BENCH_BACKEND=postgres (and the ARDOISE_TEST_* variables). Run
// with -cpu 1 for the figure per core; pdf-bytes is the PDF's size.
func BenchmarkIssue(b *testing.B) {
	env := testenv.New(b, testenv.WithBackend(testenv.BenchBackend()), testenv.WithoutServer(), testenv.WithoutWorker())
	ctx := testenv.Ctx(b)
	s := env.Sys.Certificates
	b.ResetTimer()
	var size int
	for i := 0; b.Loop(); i++ {
		c, err := s.Issue(ctx, request(fmt.Sprintf("bench-%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			pdf, _, err := s.PDF(ctx, c.ID, c.HolderID, false)
			if err != nil {
				b.Fatal(err)
			}
			size = len(pdf)
		}
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
