package testenv

import (
	"fmt"
	"testing"
	"time"

	"ardoise/community"
	"ardoise/profile"
)

// Accounts in the states tests start from, made through the services where
// a person's actions reach that state, and through the Stores' import
// methods where only time or an earlier release does.

// CreateUserIn makes a verified account with role r in territory terr (an
// inspector oversees it, without its school) and returns it.
func (e *Env) CreateUserIn(t testing.TB, r profile.Role, terr profile.Territory) *profile.User {
	t.Helper()
	n := userSeq.Add(1)
	u, err := e.Sys.Profile.Create(Ctx(t), profile.CreateInput{Role: r, RegisterInput: profile.RegisterInput{
		Email: fmt.Sprintf("%s%d@test.ardoise.fr", r, n), Password: TestPassword,
		Name: fmt.Sprintf("Test %s %d", r, n), Kind: string(profile.KindTeacher), Territory: terr,
	}})
	if err != nil {
		t.Fatalf("testenv: create %s in %+v: %v", r, terr, err)
	}
	return u
}

// CreateUnverified registers an account as a person does (Lyon · 69,
// address not verified yet); an admin then gives it role r if r is not
// learner. It returns the account as stored.
func (e *Env) CreateUnverified(t testing.TB, r profile.Role) *profile.User {
	t.Helper()
	ctx := Ctx(t)
	n := userSeq.Add(1)
	u, err := e.Sys.Profile.Register(ctx, profile.RegisterInput{
		Email: fmt.Sprintf("nv-%s%d@test.ardoise.fr", r, n), Password: TestPassword,
		Name: fmt.Sprintf("Test %s %d", r, n), Kind: string(profile.KindTeacher),
		Territory: profile.Territory{Academie: "lyon", Departement: "69"},
	})
	if err != nil {
		t.Fatalf("testenv: register %s: %v", r, err)
	}
	if r != profile.RoleLearner {
		if u, err = e.Sys.Profile.SetRole(ctx, profile.CLI, u.ID, r, "compte de test"); err != nil {
			t.Fatalf("testenv: make %s: %v", r, err)
		}
	}
	if u.EmailVerified {
		t.Fatalf("testenv: a registered account is verified: %+v", u)
	}
	return u
}

// MakeTrusted makes u a trusted community member, as an account age old
// with posts behind it is: its creation is backdated and its standing
// counts posts (trust needs a day and 3 posts). Only u's copy and the store
// change: sign in after, as a session would not see the change for 30 s.
func (e *Env) MakeTrusted(t testing.TB, u *profile.User, age time.Duration, posts int) {
	t.Helper()
	ctx := Ctx(t)
	at := time.Now().Add(-age).UTC().Truncate(time.Millisecond)
	if err := profile.NewStore(e.Sys.DB).BackdateCreation(ctx, u.ID, at); err != nil {
		t.Fatalf("testenv: backdate %s: %v", u.ID, err)
	}
	if err := community.NewStore(e.Sys.DB, e.Sys.Claims).SetMemberPosts(ctx, u.ID, posts); err != nil {
		t.Fatalf("testenv: posts of %s: %v", u.ID, err)
	}
	u.CreatedAt = at
}
