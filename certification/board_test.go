package certification_test

import (
	"context"
	"fmt"
	"testing"

	"ardoise/certification"
	"ardoise/internal/database"
	"ardoise/internal/testenv"
)

// crowdedSession stores an open session of today with n candidates, each
// with an open alert (the log is another document: Store.Log).
func crowdedSession(t testing.TB, env *testenv.Env, n int) (*certification.Session, string) {
	x := daySession(t, env)
	x.Status = certification.StatusOpen
	for i := range n {
		x.Candidates = append(x.Candidates, certification.Candidate{ID: fmt.Sprintf("c%04d", i), LastName: fmt.Sprintf("Nom%d", i),
			FirstName: "Prénom", BirthDate: "1980-01-01", Email: fmt.Sprintf("c%d@ac-lyon.fr", i), State: certification.StateInProgress})
		x.Alerts = append(x.Alerts, certification.Alert{ID: fmt.Sprintf("a%04d", i), CandidateID: fmt.Sprintf("c%04d", i), Reason: "image"})
	}
	ctx := testenv.Ctx(t)
	if _, err := env.Sys.Certification.Store().Replace(ctx, x); err != nil {
		t.Fatal(err)
	}
	token, err := env.Sys.Certification.Supervise(ctx, x.Number, x.InvigilatorPassword)
	if err != nil {
		t.Fatal(err)
	}
	return x, token
}

// TestBoardCostsOneReadWhateverTheCandidates: the invigilator's refresh
// reads one document, with 3 candidates as with 300.
func TestBoardCostsOneReadWhateverTheCandidates(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		for _, n := range []int{3, 300} {
			_, token := crowdedSession(t, env, n)
			ctx, counter := database.WithCounter(testenv.Ctx(t))
			b, err := env.Sys.Certification.Board(ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			if got := counter.Load(); got != 1 || len(b.Candidates) != n || len(b.Candidates[n-1].Alerts) != 1 {
				t.Errorf("%d candidates: %d store commands, %d lines", n, got, len(b.Candidates))
			}
		}
	}, testenv.WithoutWorker(), testenv.WithoutServer())
}

// BenchmarkBoard measures the invigilator's refresh of a session of 30
// and of 300 candidates, each with an open alert (docs/benchmarks.md).
func BenchmarkBoard(b *testing.B) {
	for _, backend := range testenv.Backends() {
		env := testenv.New(b, testenv.WithBackend(backend), testenv.WithoutWorker(), testenv.WithoutServer())
		for _, n := range []int{30, 300} {
			b.Run(fmt.Sprintf("%s/%d", backend, n), func(b *testing.B) {
				_, token := crowdedSession(b, env, n)
				ctx := context.Background()
				for b.Loop() {
					if _, err := env.Sys.Certification.Board(ctx, token); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
