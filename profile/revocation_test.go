package profile_test

import (
	"testing"

	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestRevocationsReachOtherProcesses: a logout, a revoked token and an
// epoch bump made by one process are refused by another on its very next
// check, although that one has the account and the token in its 30 s cache.
func TestRevocationsReachOtherProcesses(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		a, b := env.Sys.Profile, env.Restarted(t).Profile
		u := env.CreateUser(t, profile.RoleLearner)
		session := func() string { c, _ := a.NewSession(u); return c }
		token := func() string {
			tok, _, err := a.CreateToken(ctx, u, "outil")
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		cached := func(cookie, tok string) {
			t.Helper()
			if _, err := b.SessionUser(ctx, cookie); err != nil {
				t.Fatalf("process B refuses a fresh session: %v", err)
			}
			if _, _, err := b.TokenUser(ctx, tok); err != nil {
				t.Fatalf("process B refuses a fresh token: %v", err)
			}
		}

		// Logout: that session only.
		loggedOut, kept, tok := session(), session(), token()
		cached(loggedOut, tok)
		cached(kept, tok)
		if err := a.EndSession(ctx, loggedOut); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SessionUser(ctx, loggedOut); err == nil {
			t.Error("process B accepts a session logged out in process A")
		}
		if _, err := b.SessionUser(ctx, kept); err != nil {
			t.Errorf("process B refuses another session after a logout: %v", err)
		}

		// One token revoked.
		toks, err := a.Tokens(ctx, u.ID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens: %v %v", toks, err)
		}
		if err := a.RevokeToken(ctx, u.ID, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.TokenUser(ctx, tok); err == nil {
			t.Error("process B accepts a token revoked in process A")
		}

		// Logout everywhere: every session and token.
		cookie, tok := session(), token()
		cached(cookie, tok)
		if err := a.LogoutEverywhere(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SessionUser(ctx, cookie); err == nil {
			t.Error("process B accepts a session after logout everywhere in process A")
		}
		if _, _, err := b.TokenUser(ctx, tok); err == nil {
			t.Error("process B accepts a token after logout everywhere in process A")
		}

		// A suspension, on sessions and tokens made after the last bump.
		fresh, err := a.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		u = fresh
		cookie, tok = session(), token()
		cached(cookie, tok)
		admin := env.CreateUser(t, profile.RoleAdmin)
		if _, err := a.SetSuspended(ctx, profile.ActorOf(admin), u.ID, true, "compte compromis"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.SessionUser(ctx, cookie); err == nil {
			t.Error("process B accepts a session of an account suspended in process A")
		}
		if _, _, err := b.TokenUser(ctx, tok); err == nil {
			t.Error("process B accepts a token of an account suspended in process A")
		}
	})
}
