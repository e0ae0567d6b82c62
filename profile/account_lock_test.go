package profile_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestAccountUpdatesAtOnceLoseNothing: FerretDB runs an update as a read
// then an overwrite of the whole document, so updates of one account at
// once used to lose each other (seen in CI: a welcome-mail task clearing
// its marker while the person clicked the verification link put
// emailVerified back to false). Under the account's lock, ten markers
// added at once are all kept, and a verification during marker clears stays.
func TestAccountUpdatesAtOnceLoseNothing(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		store := profile.StoreOf(env.Sys.Profile)
		u := env.CreateUser(t, profile.RoleLearner)
		var want []string
		for i := range 10 {
			want = append(want, fmt.Sprintf("reset-email:%d", i))
		}
		var wg sync.WaitGroup
		for _, m := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := store.AddPending(ctx, u.ID, m); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := store.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range want {
			if !slices.Contains(got.Pending, m) {
				t.Errorf("marker %s lost among updates at once: %v", m, got.Pending)
			}
		}
		// The mail tasks clear their markers while the person verifies.
		if err := store.MarkEmailUnverified(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		for _, m := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := store.ClearPending(ctx, u.ID, m); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := store.VerifyEmail(ctx, u.ID, got.EmailLower); err != nil {
				t.Error(err)
			}
		}()
		wg.Wait()
		got, err = store.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.EmailVerified || len(got.Pending) != 0 {
			t.Errorf("after clears and a verification at once: verified %v, pending %v", got.EmailVerified, got.Pending)
		}
	}, testenv.WithoutServer(), testenv.WithoutWorker())
}
