package certification_test

import (
	"errors"
	"testing"

	"ardoise/certification"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestCertificationCentresList: admins read every centre, newest first;
// nobody else may.
func TestCertificationCentresList(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		admin := env.CreateUser(t, profile.RoleAdmin)
		ref := env.CreateUser(t, profile.RoleLearner)
		for _, name := range []string{"INSPÉ de Lyon", "DRANE de Lyon"} {
			if _, err := svc.CreateCentre(ctx, admin, certification.CentreInput{Name: name,
				Territory: profile.Territory{Academie: "lyon"}, Referents: []string{ref.Email}}); err != nil {
				t.Fatal(err)
			}
		}
		list, err := svc.Centres(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Name != "DRANE de Lyon" || list[1].Name != "INSPÉ de Lyon" {
			t.Fatalf("centres %+v", list)
		}
		if _, err := svc.Centres(ctx, ref); !errors.Is(err, errkind.ErrForbidden) {
			t.Errorf("a référent lists the centres: %v", err)
		}
		if _, err := svc.Centres(ctx, nil); !errors.Is(err, errkind.ErrUnauthenticated) {
			t.Errorf("nobody lists the centres: %v", err)
		}
		// The index is no one's desk: the référent's desk has their two centres only.
		d, err := svc.Desk(ctx, ref)
		if err != nil || len(d.Centres) != 2 {
			t.Fatalf("desk %+v, %v", d, err)
		}
	})
}
