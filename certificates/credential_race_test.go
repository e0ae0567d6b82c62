package certificates_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestStatusUnderConcurrentChanges: admins revoke and reinstate a
// certificate while the worker writes its status bit: every change is in
// the history (as many events as state versions), and once the queue
// drains the bit is the certificate's state and no marker is left. (The
// certificate's lock closes FerretDB's read-then-write window; this test
// checks the outcome, it does not reliably hit that window.)
func TestStatusUnderConcurrentChanges(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		s := env.Sys.Certificates
		holder := env.CreateUser(t, profile.RoleLearner)
		c, err := s.Issue(ctx, certificates.Request{SourceID: "race", HolderID: holder.ID, HolderName: holder.Name,
			Title: "Module", Slug: "module", Version: 1, Nature: certificates.NatureDistance, DeclaredMinutes: 60,
			CompletedAt: time.Now(), Issuer: "Réseau Canopé — Ardoise"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(2)
			go func() {
				defer wg.Done()
				var err error
				if i%2 == 0 {
					_, err = s.Revoke(ctx, "admin", c.ID, fmt.Sprintf("motif %d", i))
				} else {
					_, err = s.Reinstate(ctx, "admin", c.ID, fmt.Sprintf("motif %d", i))
				}
				if err != nil && !errkind.Retryable(err) {
					t.Error(err)
				}
			}()
			go func() {
				defer wg.Done()
				if err := s.SyncStatus(ctx, c.ID); err != nil && !errkind.Retryable(err) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		env.DrainQueues(t, 30*time.Second)
		if err := s.SyncStatus(ctx, c.ID); err != nil { // as the sweeper would, for a task lost in a conflict
			t.Fatal(err)
		}
		got, err := s.CredentialFor(ctx, c.ID, holder.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(got.Pending, "credential-status") {
			t.Errorf("marker left: %v", got.Pending)
		}
		events := 0
		for _, e := range got.History {
			if e.Action != certificates.ActionIssued {
				events++
			}
		}
		if events != got.StateVersion {
			t.Errorf("%d state changes in the history, state version %d: a change was lost", events, got.StateVersion)
		}
		pub, err := s.Verify(ctx, got.Code)
		if err != nil {
			t.Fatal(err)
		}
		suspended := slices.Contains(pub.Credential.Problems, certificates.ProblemSuspended)
		if suspended != got.Revoked {
			t.Errorf("revoked %v, status bit %v", got.Revoked, suspended)
		}
	})
}
