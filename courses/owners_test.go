package courses_test

import (
	"errors"
	"testing"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// Who may act is checked before what they sent: a trainer who may not
// edit a module stores no file by importing onto it, learns nothing of its
// versions and nothing of an address by adding a co-owner, while the
// owner gets what each refusal was about.
func TestOwnershipBeforeInput(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		svc, ctx := env.Sys.Courses, testenv.Ctx(t)
		store := courses.NewStore(env.Sys.DB, env.Sys.Claims)
		ta, tb, tc := env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer), env.CreateUser(t, profile.RoleTrainer)
		learner := env.CreateUser(t, profile.RoleLearner)
		owner, intruder := courses.Author{ID: ta.ID}, courses.Author{ID: tb.ID}
		const slug = "module-proprietaire"
		if _, _, err := svc.SaveDraft(ctx, owner, slug, validSource()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, owner, slug, "v1"); err != nil {
			t.Fatal(err)
		}

		// An import onto another trainer's module stores nothing.
		theirs := validSource()
		theirs.Files["02-intrus.md"] = []byte("---\ntitle: Page de l'intrus\n---\nTexte que personne d'autre n'a envoyé.\n")
		if _, _, err := svc.SaveDraft(ctx, intruder, slug, theirs); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("intruder's draft: %v", err)
		}
		if stored, err := store.FileStored(ctx, theirs.Files["02-intrus.md"]); err != nil || stored {
			t.Fatalf("the intruder's page is stored: %v %v", stored, err)
		}
		if draft, err := svc.Export(ctx, slug, 0); err != nil || draft.Hash() != validSource().Hash() {
			t.Fatalf("the owner's draft changed: %v", err)
		}
		// The same files by the owner are stored: the check above can fail.
		if _, _, err := svc.SaveDraft(ctx, owner, slug, theirs); err != nil {
			t.Fatal(err)
		}
		if stored, err := store.FileStored(ctx, theirs.Files["02-intrus.md"]); err != nil || !stored {
			t.Fatalf("the owner's page is not stored: %v %v", stored, err)
		}

		// Rollback: ownership, then the version.
		for _, n := range []int{0, 1, 99} {
			if _, err := svc.Rollback(ctx, intruder, slug, n); !errors.Is(err, errkind.ErrForbidden) {
				t.Errorf("intruder's rollback to %d: %v", n, err)
			}
		}
		for _, n := range []int{0, 99} {
			if _, err := svc.Rollback(ctx, owner, slug, n); !errkind.IsNotFound(err) {
				t.Errorf("owner's rollback to %d: %v", n, err)
			}
		}
		if _, err := svc.Rollback(ctx, intruder, "module-inconnu", 1); !errkind.IsNotFound(err) {
			t.Errorf("rollback of an unknown module: %v", err)
		}
		if v, err := svc.Rollback(ctx, owner, slug, 1); err != nil || v.Number != 2 || v.Hash != validSource().Hash() {
			t.Fatalf("owner's rollback to 1: %+v %v", v, err)
		}

		// Co-owners: ownership, then the address.
		for _, email := range []string{"personne@nulle.part", learner.Email, tc.Email} {
			if err := svc.AddCoOwner(ctx, intruder, slug, email); !errors.Is(err, errkind.ErrForbidden) {
				t.Errorf("intruder adding %s: %v", email, err)
			}
		}
		if err := svc.AddCoOwner(ctx, intruder, "module-inconnu", "personne@nulle.part"); !errkind.IsNotFound(err) {
			t.Errorf("co-owner of an unknown module: %v", err)
		}
		var v *errkind.ValidationError
		for _, email := range []string{"personne@nulle.part", learner.Email} {
			if err := svc.AddCoOwner(ctx, owner, slug, email); !errors.As(err, &v) || v.Fields[0].Field != "email" || v.Fields[0].Code != "not_a_trainer" {
				t.Errorf("owner adding %s: %v", email, err)
			}
		}
		if err := svc.AddCoOwner(ctx, owner, slug, tc.Email); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Editable(ctx, courses.Author{ID: tc.ID}, slug); err != nil {
			t.Fatalf("the co-owner cannot edit: %v", err)
		}
		if _, err := svc.Editable(ctx, intruder, slug); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("the intruder can edit: %v", err)
		}
	})
}
