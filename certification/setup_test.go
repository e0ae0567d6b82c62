package certification_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

func fieldCode(err error, field string) string {
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		return ""
	}
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Code
		}
	}
	return ""
}

func refusal(err error) string {
	var r *errkind.RefusedError
	if errors.As(err, &r) {
		return r.Code
	}
	return ""
}

// tomorrow is a valid session date.
func tomorrow() string {
	return time.Now().In(clock.Paris()).AddDate(0, 0, 1).Format(time.DateOnly)
}

func sessionInput(centre string) certification.SessionInput {
	return certification.SessionInput{Centre: centre, Kind: "crcn", Date: tomorrow(), Time: "09:30",
		Place: "INSPÉ de Lyon, site de la Croix-Rousse", Room: "B204", Invigilator: "Mme Durand"}
}

const cleanFile = "nom;prénom;date_naissance;email;temps_majoré;aménagement\n" +
	"Martin;Élise;12/03/1985;elise.martin@ac-lyon.fr;;non\n" +
	"Dupont;Jean-Luc;1979-11-02;JL.Dupont@ac-lyon.fr;33;oui\n"

// TestCertificationSetup: an admin creates a centre (nobody else may), its
// référent creates sessions with fresh numbers and codes (nobody else
// may), imports candidates (a file with errors saves nothing and reports
// every line), imports again to replace them, adds one, and may no longer
// replace the list once a candidate has checked in.
func TestCertificationSetup(t *testing.T) {
	testenv.ForEachBackend(t, func(t *testing.T, env *testenv.Env) {
		ctx := testenv.Ctx(t)
		svc := env.Sys.Certification
		admin := env.CreateUser(t, profile.RoleAdmin)
		referent := env.CreateUser(t, profile.RoleTrainer)
		second := env.CreateUser(t, profile.RoleLearner)
		trainer := env.CreateUser(t, profile.RoleTrainer)
		inspector := env.CreateUser(t, profile.RoleInspector)

		// Centres: admins only, role checked before the input.
		in := certification.CentreInput{Name: "INSPÉ de Lyon", Territory: profile.Territory{Academie: "Lyon", Departement: "69"},
			Referents: []string{strings.ToUpper(referent.Email), second.Email, referent.Email}}
		for _, u := range []*profile.User{trainer, inspector, referent} {
			if _, err := svc.CreateCentre(ctx, u, certification.CentreInput{}); !errors.Is(err, errkind.ErrForbidden) {
				t.Fatalf("%s creates a centre: %v", u.Roles, err)
			}
		}
		_, err := svc.CreateCentre(ctx, admin, certification.CentreInput{Name: strings.Repeat("é", 121),
			Territory: profile.Territory{Departement: "69"}, Referents: []string{"personne@nulle.part"}})
		if fieldCode(err, "name") != "too_long" || fieldCode(err, "territory.academie") != "required" ||
			fieldCode(err, "referents") != "unknown_referent" {
			t.Fatalf("bad centre: %v", err)
		}
		_, err = svc.CreateCentre(ctx, admin, certification.CentreInput{Name: "X", Territory: profile.Territory{Academie: "atlantide"}})
		if fieldCode(err, "territory.academie") != "unknown_academie" || fieldCode(err, "referents") != "required" {
			t.Fatalf("unknown académie, no référent: %v", err)
		}
		centre, err := svc.CreateCentre(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if centre.Territory.Academie != "lyon" || len(centre.Referents) != 2 {
			t.Fatalf("centre %+v", centre)
		}
		if got, err := svc.Centre(ctx, centre.ID); err != nil || got.Name != "INSPÉ de Lyon" {
			t.Fatalf("read centre: %v %+v", err, got)
		}

		// Sessions: the centre's référents only.
		for _, u := range []*profile.User{admin, trainer, inspector} {
			if _, err := svc.CreateSession(ctx, u, sessionInput(centre.ID)); !errors.Is(err, errkind.ErrForbidden) {
				t.Fatalf("%s creates a session: %v", u.Roles, err)
			}
		}
		if _, err := svc.CreateSession(ctx, referent, sessionInput("inconnu")); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("unknown centre: %v", err)
		}
		other, err := svc.CreateCentre(ctx, admin, certification.CentreInput{Name: "DRANE", Territory: profile.Territory{Academie: "paris"},
			Referents: []string{trainer.Email}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateSession(ctx, referent, sessionInput(other.ID)); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("another centre's session: %v", err)
		}
		bad := sessionInput(centre.ID)
		bad.Kind, bad.Date, bad.Time, bad.Room = "pix", time.Now().In(clock.Paris()).AddDate(0, 0, -1).Format(time.DateOnly), "9h30", " "
		_, err = svc.CreateSession(ctx, referent, bad)
		for field, code := range map[string]string{"kind": "unknown_certification", "date": "session_in_past", "time": "bad_clock_time", "room": "required"} {
			if fieldCode(err, field) != code {
				t.Errorf("bad session: %s: %q, want %q (%v)", field, fieldCode(err, field), code, err)
			}
		}
		bad = sessionInput(centre.ID)
		bad.Date = "2030-02-30"
		if _, err = svc.CreateSession(ctx, referent, bad); fieldCode(err, "date") != "bad_iso_date" {
			t.Errorf("30 February: %v", err)
		}
		today := sessionInput(centre.ID)
		today.Date = time.Now().In(clock.Paris()).Format(time.DateOnly)
		numbers := map[int]bool{}
		var sessions []*certification.Session
		for i := 0; i < 5; i++ {
			in := sessionInput(centre.ID)
			if i == 0 {
				in = today
			}
			x, err := svc.CreateSession(ctx, referent, in)
			if err != nil {
				t.Fatal(err)
			}
			if x.Number < 100000 || x.Number > 999999 || numbers[x.Number] {
				t.Errorf("number %d", x.Number)
			}
			numbers[x.Number] = true
			if !accessCode(x.AccessCode) || !password(x.InvigilatorPassword) {
				t.Errorf("codes %q %q", x.AccessCode, x.InvigilatorPassword)
			}
			if x.Status != certification.StatusCreated || x.Candidates == nil || x.Alerts == nil {
				t.Errorf("session %+v", x)
			}
			sessions = append(sessions, x)
		}
		x := sessions[1]

		// Reading: the centre's référents and admins.
		for _, u := range []*profile.User{referent, second, admin} {
			got, err := svc.SessionFor(ctx, u, x.ID)
			if err != nil || got.Number != x.Number || got.AccessCode != x.AccessCode {
				t.Fatalf("%s reads: %v", u.Email, err)
			}
		}
		if _, err := svc.SessionFor(ctx, inspector, x.ID); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("an inspector reads: %v", err)
		}
		if _, err := svc.SessionFor(ctx, trainer, x.ID); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("another centre's référent reads: %v", err)
		}
		for _, u := range []*profile.User{referent, second} {
			desk, err := svc.Desk(ctx, u)
			if err != nil || len(desk.Centres) != 1 || desk.Centres[0].ID != centre.ID || len(desk.Sessions) != 5 ||
				desk.Sessions[4].ID != sessions[0].ID {
				t.Fatalf("%s's desk: %v %+v", u.Email, err, desk)
			}
		}
		if desk, err := svc.Desk(ctx, inspector); err != nil || len(desk.Centres)+len(desk.Sessions) != 0 {
			t.Fatalf("an inspector's desk: %v %+v", err, desk)
		}

		// Candidates: a clean file.
		if _, _, err := svc.ImportCandidates(ctx, trainer, x.ID, strings.NewReader(cleanFile)); !errors.Is(err, errkind.ErrNotFound) {
			t.Fatalf("another centre's référent imports: %v", err)
		}
		if _, _, err := svc.ImportCandidates(ctx, admin, x.ID, strings.NewReader(cleanFile)); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("an admin imports: %v", err)
		}
		n, lines, err := svc.ImportCandidates(ctx, referent, x.ID, strings.NewReader("\uFEFF"+cleanFile))
		if err != nil || n != 2 || len(lines) != 0 {
			t.Fatalf("import: %d %v %v", n, lines, err)
		}
		got, _ := svc.SessionFor(ctx, referent, x.ID)
		if len(got.Candidates) != 2 || got.Candidates[1].Email != "jl.dupont@ac-lyon.fr" || got.Candidates[1].ExtraTime != 33 ||
			!got.Candidates[1].Adjustment || got.Candidates[0].BirthDate != "1985-03-12" || got.Candidates[0].State != certification.StateAbsent ||
			got.Candidates[0].ID == "" || got.Candidates[0].ID == got.Candidates[1].ID {
			t.Fatalf("candidates %+v", got.Candidates)
		}

		// A dirty file: every line reported, nothing saved.
		dirty := "nom,prénom,date_naissance,email,temps_majoré,aménagement\n" +
			"Bernard,Léa,31/02/1990,lea@ac-lyon.fr,,non\n" +
			"Petit,,1980-01-01,pas-une-adresse,,peut-être\n" +
			"Robert,Anne,1980-01-01,anne@ac-lyon.fr,10,non\n"
		n, lines, err = svc.ImportCandidates(ctx, referent, x.ID, strings.NewReader(dirty))
		var ie *certification.ImportError
		if n != 0 || !errors.As(err, &ie) || !errors.Is(err, errkind.ErrInvalid) || len(lines) != 4 || len(ie.Lines) != 4 {
			t.Fatalf("dirty: %d %v %v", n, lines, err)
		}
		for i, want := range []int{2, 3, 3, 3} {
			if lines[i].Line != want || lines[i].Message == "" {
				t.Errorf("line error %d: %+v", i, lines[i])
			}
		}
		if got, _ := svc.SessionFor(ctx, referent, x.ID); len(got.Candidates) != 2 || got.Candidates[0].LastName != "Martin" {
			t.Fatalf("a dirty file changed the list: %+v", got.Candidates)
		}

		// Importing again replaces the list.
		again := "nom;prénom;date_naissance;email;temps_majoré;aménagement\nRobert;Anne;1980-01-01;anne@ac-lyon.fr;10;non\n"
		if n, _, err = svc.ImportCandidates(ctx, second, x.ID, strings.NewReader(again)); err != nil || n != 1 {
			t.Fatalf("import again: %d %v", n, err)
		}
		if got, _ := svc.SessionFor(ctx, referent, x.ID); len(got.Candidates) != 1 || got.Candidates[0].LastName != "Robert" {
			t.Fatalf("replaced: %+v", got.Candidates)
		}

		// Adding one, checked as a line.
		one := certification.CandidateInput{LastName: " Lefèvre ", FirstName: "Chloé", BirthDate: "05/06/1990", Email: "Chloe.Lefevre@ac-lyon.fr", ExtraTime: 25}
		k, err := svc.AddCandidate(ctx, referent, x.ID, one)
		if err != nil || k.LastName != "Lefèvre" || k.BirthDate != "1990-06-05" || k.Email != "chloe.lefevre@ac-lyon.fr" ||
			k.State != certification.StateAbsent || k.ID == "" {
			t.Fatalf("add: %v %+v", err, k)
		}
		if _, err = svc.AddCandidate(ctx, referent, x.ID, one); fieldCode(err, "email") != "candidate_taken" {
			t.Fatalf("the same address again: %v", err)
		}
		_, err = svc.AddCandidate(ctx, referent, x.ID, certification.CandidateInput{LastName: strings.Repeat("a", 101),
			BirthDate: "2099-01-01", Email: "x", ExtraTime: 101})
		for field, code := range map[string]string{"lastName": "bad_candidate_name", "firstName": "required",
			"birthDate": "bad_birth_date", "email": "bad_email", "extraTime": "bad_extra_time"} {
			if fieldCode(err, field) != code {
				t.Errorf("bad candidate: %s: %q, want %q (%v)", field, fieldCode(err, field), code, err)
			}
		}
		if _, err = svc.AddCandidate(ctx, inspector, x.ID, one); !errors.Is(err, errkind.ErrForbidden) {
			t.Fatalf("an inspector adds: %v", err)
		}

		// Once a candidate has checked in, the list is no longer replaced.
		if err := svc.Store().CheckInForTest(ctx, x.ID, inspector.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err = svc.ImportCandidates(ctx, referent, x.ID, strings.NewReader(cleanFile)); refusal(err) != certification.CodeCandidatesJoined {
			t.Fatalf("import after a check-in: %v", err)
		}
		if got, _ := svc.SessionFor(ctx, referent, x.ID); len(got.Candidates) != 2 {
			t.Fatalf("after the refusal: %+v", got.Candidates)
		}
		// A finalized session's list no longer changes.
		y := sessions[2]
		if err := svc.Store().SetStatusForTest(ctx, y.ID, certification.StatusFinalized); err != nil {
			t.Fatal(err)
		}
		if _, _, err = svc.ImportCandidates(ctx, referent, y.ID, strings.NewReader(cleanFile)); refusal(err) != certification.CodeSessionClosed {
			t.Fatalf("import into a finalized session: %v", err)
		}
		if _, err = svc.AddCandidate(ctx, referent, y.ID, one); refusal(err) != certification.CodeSessionClosed {
			t.Fatalf("add to a finalized session: %v", err)
		}
	}, testenv.WithoutWorker(), testenv.WithoutServer())
}

func accessCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i, r := range s {
		if i < 4 && (r < 'A' || r > 'Z' || r == 'I' || r == 'O') || i >= 4 && (r < '2' || r > '9') {
			return false
		}
	}
	return true
}

func password(s string) bool {
	return len(s) == 6 && strings.Trim(s, "ACDEFGHJKMNPQRTUVWXY34679") == ""
}
