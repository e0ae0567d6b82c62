package web_test

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/certification"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

// TestInspectCertification: a session published and its certificates
// issued twice (a retried task); the inspector of the teacher's scope sees
// one row on the page and in the CSV, whose cells are formula-safe; an
// inspector of another académie sees none.
func TestInspectCertification(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		referent, jury, anne := env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleAdmin), env.CreateUser(t, profile.RoleLearner)
		sessionID, _ := certifiedSession(t, env, referent, anne)
		sessions := env.Sys.DB.Collection(certification.SessionsCollection)
		// A name a spreadsheet would run as a formula.
		if _, err := sessions.UpdateOne(ctx, bson.M{"_id": sessionID}, bson.M{"$set": bson.M{"candidates.0.firstName": "=Anne"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Finalize(ctx, referent, sessionID, certification.FinalizeInput{Comment: "RAS"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, jury, sessionID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := svc.IssueCertificates(ctx, sessionID); err != nil {
				t.Fatal(err)
			}
			if _, err := sessions.UpdateOne(ctx, bson.M{"_id": sessionID}, bson.M{"$set": bson.M{"pending": []string{"certificates"}}}); err != nil {
				t.Fatal(err)
			}
		}

		lyon := env.LoggedIn(t, env.CreateUser(t, profile.RoleInspector)) // scope lyon/69
		res, body := get(t, env, lyon, "/suivi/certification")
		if res.StatusCode != 200 || strings.Count(body, "=Anne Petit") != 1 || !strings.Contains(body, "DRANE de Lyon") || !strings.Contains(body, "C-") {
			t.Fatalf("the scope's page: %d %s", res.StatusCode, body)
		}
		res, csv := get(t, env, lyon, "/suivi/certification/export.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(csv, "\uFEFFnom;date;score;niveaux;code;session;centre;revoque\n") ||
			res.Header.Get("Content-Disposition") != `attachment; filename="certification-perimetre.csv"` {
			t.Fatalf("CSV: %d %v %q", res.StatusCode, res.Header, csv)
		}
		lines := strings.Split(strings.TrimSpace(csv), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[1], "'=Anne Petit;") {
			t.Fatalf("CSV lines: %q", lines)
		}

		grenoble := env.LoggedIn(t, env.CreateUserIn(t, profile.RoleInspector, profile.Territory{Academie: "grenoble", Departement: "38"}))
		res, body = get(t, env, grenoble, "/suivi/certification")
		if res.StatusCode != 200 || strings.Contains(body, "Petit") || !strings.Contains(body, `id="no-results"`) {
			t.Fatalf("another académie: %d %s", res.StatusCode, body)
		}
		if _, csv := get(t, env, grenoble, "/suivi/certification/export.csv"); strings.Contains(csv, "Petit") {
			t.Fatalf("another académie's CSV: %q", csv)
		}
	})
}
