package profile_test

import (
	"errors"
	"testing"
	"time"

	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// fieldCode returns the code of a validation error on field, or "".
func fieldCode(err error, field string) string {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			if f.Field == field {
				return f.Code
			}
		}
	}
	return ""
}

// TestConfusableHandles: a handle that looks like a taken one (same UTS #39
// skeleton) can be neither registered nor taken by a profile edit, on every
// backend; the skeletons of accounts from before are filled in at start,
// and two old look-alikes do not stop the start.
func TestConfusableHandles(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		p := env.Sys.Profile
		reg := func(email, handle string) (*profile.User, error) {
			return p.Register(ctx, profile.RegisterInput{Email: email, Password: "une phrase de passe", Name: "Paul Olive",
				Handle: handle, Kind: "teacher"})
		}
		if _, err := reg("paulo@exemple.fr", "paulo"); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"paul0", "PAULO", "pau1o"} {
			if _, err := reg("x-"+h+"@exemple.fr", h); fieldCode(err, "handle") != "taken" {
				t.Errorf("registering %q beside paulo: %v", h, err)
			}
		}
		other, err := reg("autre@exemple.fr", "")
		if err != nil {
			t.Fatal(err)
		}
		edit := profile.ProfileInput{Name: other.Name, Handle: "pau1o"}
		if _, err := p.UpdateProfile(ctx, other, edit); fieldCode(err, "handle") != "taken" {
			t.Errorf("taking a look-alike by a profile edit: %v", err)
		}
		edit.Handle = "olive-p"
		if _, err := p.UpdateProfile(ctx, other, edit); err != nil {
			t.Fatalf("a free handle: %v", err)
		}

		// Accounts from before skeletons, stored as those releases did
		// (no skeleton): two of them look alike, the older is a.
		store := profile.NewStore(env.Sys.DB)
		at := time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Millisecond)
		var olds []*profile.User
		for i, h := range []string{"ancien-l", "ancien-1"} {
			u := &profile.User{ID: "ancien-" + h, Email: h + "@exemple.fr", EmailLower: h + "@exemple.fr", EmailVerified: true,
				Name: "Paul Ancien", Handle: h, Kind: profile.KindTeacher, Roles: []profile.Role{profile.RoleLearner},
				CreatedAt: at.Add(time.Duration(i) * time.Minute), UpdatedAt: at}
			if err := store.InsertUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if got, err := store.User(ctx, u.ID); err != nil || got.HandleSkeleton != "" {
				t.Fatalf("an account from before skeletons: %+v %v", got, err)
			}
			olds = append(olds, u)
		}
		a, b := olds[0], olds[1]
		for range 2 {
			if err := p.Migrate(ctx); err != nil {
				t.Fatalf("migration with two look-alike handles: %v", err)
			}
		}
		first, _ := p.User(ctx, a.ID)
		second, _ := p.User(ctx, b.ID)
		if first.HandleSkeleton == "" || second.HandleSkeleton != "" {
			t.Errorf("skeletons after migration: %q %q", first.HandleSkeleton, second.HandleSkeleton)
		}
	})
}

// TestScopeFollowsOnlyAdmins: the scope is set by an admin or the command
// line (audit-logged), survives the person's own territory edits, and ends
// with the inspector role.
func TestScopeFollowsOnlyAdmins(t *testing.T) {
	env := testenv.New(t)
	ctx := testenv.Ctx(t)
	p := env.Sys.Profile
	insp := env.CreateUser(t, profile.RoleInspector)
	if _, err := p.SetScope(ctx, profile.CLI, insp.ID, "lyon/69/Lyon 7/0691234A", "x"); fieldCode(err, "scope") != "bad_scope" {
		t.Errorf("a school as scope: %v", err)
	}
	if _, err := p.SetScope(ctx, profile.CLI, insp.ID, "lyon/69", ""); fieldCode(err, "reason") != "required" {
		t.Errorf("a scope without reason: %v", err)
	}
	u, err := p.UpdateProfile(ctx, insp, profile.ProfileInput{Name: insp.Name, Handle: insp.Handle,
		Territory: profile.Territory{Academie: "paris", Departement: "75"}})
	if err != nil || profile.FormatScope(u.InspectionScope()) != "lyon/69" {
		t.Fatalf("after a territory edit: %+v %v", u.InspectionScope(), err)
	}
	u, err = p.SetRole(ctx, profile.CLI, insp.ID, profile.RoleTrainer, "changement de mission")
	if err != nil || !u.Scope.IsZero() {
		t.Fatalf("scope after leaving the inspector role: %+v %v", u.Scope, err)
	}
	u, err = p.SetRole(ctx, profile.CLI, insp.ID, profile.RoleInspector, "retour")
	if err != nil || !u.InspectionScope().IsZero() {
		t.Errorf("a promoted inspector oversees %+v (%v) before an admin sets a scope", u.InspectionScope(), err)
	}
	log, err := p.Audit(ctx, insp.ID, time.Time{}, 10)
	if err != nil || len(log) != 2 || log[1].Detail != "inspector → trainer (lyon/69 → —)" {
		t.Errorf("audit: %+v %v", log, err)
	}
}
