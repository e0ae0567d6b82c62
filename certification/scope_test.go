package certification_test

import (
	"errors"
	"testing"

	"ardoise/certification"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// publishedFor runs a session's day for one teacher, finalizes and
// publishes it, then issues its certificates twice, as a retried task
// would.
func publishedFor(t *testing.T, env *testenv.Env, teacher *profile.User) (*certification.Session, *profile.User) {
	t.Helper()
	ctx := testenv.Ctx(t)
	svc := env.Sys.Certification
	referent, jury := env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleAdmin)
	x, _ := afterDay(t, env, referent, []*profile.User{teacher}, []int{0})
	if _, err := svc.Finalize(ctx, referent, x.ID, certification.FinalizeInput{Comment: "Session calme."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, jury, x.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := svc.IssueCertificates(ctx, x.ID); err != nil {
			t.Fatal(err)
		}
		if err := svc.Store().SetPending(ctx, x.ID, "certificates"); err != nil {
			t.Fatal(err)
		}
	}
	return x, jury
}

// TestCertificationScope: an inspector of the teacher's territory (at any
// level) sees the certificate, once though the task ran twice, and the
// session of the centre's territory; another académie's inspector sees
// nothing; a revocation shows; a learner, or an inspector without a scope, is refused.
func TestCertificationScope(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		teacher := env.CreateUserIn(t, profile.RoleLearner, profile.Territory{Academie: "grenoble", Departement: "38", Circonscription: "Grenoble 2", UAI: "0381234A"})
		x, jury := publishedFor(t, env, teacher)

		inspector := func(scope string) *profile.User {
			u := env.CreateUser(t, profile.RoleInspector)
			u, err := env.Sys.Profile.SetScope(ctx, profile.CLI, u.ID, scope, "nomination")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		for _, scope := range []string{"grenoble", "grenoble/38", "grenoble/38/Grenoble 2"} {
			v, err := svc.InScope(ctx, inspector(scope))
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Results) != 1 {
				t.Fatalf("%s: %d results, want 1: %+v", scope, len(v.Results), v.Results)
			}
			r := v.Results[0]
			if r.UserID != teacher.ID || r.Name != "Jean Dupont-Élie" || r.SessionID != x.ID || r.Code == "" || len(r.Levels) == 0 || r.Centre != "INSPÉ de Lyon" {
				t.Errorf("%s: row %+v", scope, r)
			}
			if len(v.Sessions) != 0 {
				t.Errorf("%s: sessions of Lyon's centre: %+v", scope, v.Sessions)
			}
		}
		lyon, err := svc.InScope(ctx, inspector("lyon"))
		if err != nil {
			t.Fatal(err)
		}
		if len(lyon.Results) != 0 {
			t.Errorf("another académie sees %+v", lyon.Results)
		}
		if len(lyon.Sessions) != 1 || lyon.Sessions[0].SessionID != x.ID || lyon.Sessions[0].Candidates != 1 || lyon.Sessions[0].Status != certification.StatusPublished {
			t.Errorf("the centre's académie: sessions %+v", lyon.Sessions)
		}

		// A revocation marks the row in every scope it was written to.
		circ := inspector("grenoble/38/Grenoble 2")
		v, _ := svc.InScope(ctx, circ)
		if _, err := svc.Revoke(ctx, jury, v.Results[0].TestID, "Fraude découverte après coup"); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*profile.User{circ, inspector("grenoble")} {
			if v, err := svc.InScope(ctx, u); err != nil || len(v.Results) != 1 || !v.Results[0].Revoked {
				t.Errorf("after revocation: %+v %v", v, err)
			}
		}

		for _, u := range []*profile.User{env.CreateUser(t, profile.RoleLearner), env.CreateUser(t, profile.RoleTrainer)} {
			if _, err := svc.InScope(ctx, u); !errors.Is(err, errkind.ErrForbidden) {
				t.Errorf("%v: %v, want forbidden", u.Roles, err)
			}
		}
	})
}
