package profile

import (
	"strings"
	"testing"

	"ardoise/internal/errkind"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("une phrase de passe")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if h == HashPassword("une phrase de passe") {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		hash, pw string
		ok       bool
		err      bool
	}{
		{h, "une phrase de passe", true, false},
		{h, "une phrase de passe ", false, false},
		{"$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "x", false, true},
		{"pas un hash", "x", false, true},
		{"", "", false, true},
	} {
		ok, err := CheckPassword(tc.hash, tc.pw)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("CheckPassword(%.20q, %q) = %t, %v", tc.hash, tc.pw, ok, err)
		}
	}
}

func TestRegisterValidation(t *testing.T) {
	valid := RegisterInput{Email: "a.b@ac-lyon.fr", Password: "douze car ok", Name: "Anne", Kind: "teacher"}
	tests := []struct {
		name   string
		change func(*RegisterInput)
		fields []string
	}{
		{"valid", func(*RegisterInput) {}, nil},
		{"empty", func(in *RegisterInput) { *in = RegisterInput{} }, []string{"email", "password", "name", "kind"}},
		{"email with name", func(in *RegisterInput) { in.Email = "Anne <a@b.fr>" }, []string{"email"}},
		{"email without domain dot", func(in *RegisterInput) { in.Email = "a@localhost" }, []string{"email"}},
		{"11 characters", func(in *RegisterInput) { in.Password = "onze caract" }, []string{"password"}},
		{"12 accented characters", func(in *RegisterInput) { in.Password = "éééééééééééé" }, nil},
		{"control character in name", func(in *RegisterInput) { in.Name = "An\x00ne" }, []string{"name"}},
		{"101-rune name", func(in *RegisterInput) { in.Name = strings.Repeat("é", 101) }, []string{"name"}},
		{"reserved handle", func(in *RegisterInput) { in.Handle = "@Admin" }, []string{"handle"}},
		{"bad handle", func(in *RegisterInput) { in.Handle = "a b" }, []string{"handle"}},
		{"unknown kind", func(in *RegisterInput) { in.Kind = "pupil" }, []string{"kind"}},
		{"uai without departement", func(in *RegisterInput) { in.Territory = Territory{Academie: "Lyon", UAI: "0691234A"} }, []string{"territory.departement"}},
		{"departement 20", func(in *RegisterInput) { in.Territory = Territory{Academie: "corse", Departement: "20"} }, []string{"territory.departement"}},
		{"accents folded", func(in *RegisterInput) { in.Territory = Territory{Academie: "ORLEANS tours", Departement: "2a"} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid
			tt.change(&in)
			_, err := in.validate("territory.")
			var got []string
			if v, ok := err.(*errkind.ValidationError); ok {
				for _, f := range v.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestParentSchoolIsNotKept(t *testing.T) {
	in := RegisterInput{Email: "p@b.fr", Password: "douze car ok", Name: "P", Kind: "parent",
		Territory: Territory{Academie: "nice", Departement: "06", UAI: "0061234A"}}
	u, err := in.validate("territory.")
	if err != nil || u.Territory.UAI != "" || u.Territory.Departement != "06" {
		t.Errorf("%+v %v", u.Territory, err)
	}
}

func TestHandleFrom(t *testing.T) {
	for in, want := range map[string]string{
		"Anne-Marie Dupré": "anne-marie-dupre", "Œ": "xxx", "  Lé  ": "lex", "Jean   Paul": "jean-paul",
	} {
		if got := handleFrom(in); got != want || !handleRe.MatchString(got) {
			t.Errorf("handleFrom(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRegisterValidation(f *testing.F) {
	f.Add("a@b.fr", "douze car ok", "Anne", "anne", "teacher", "Lyon/69/X/0691234A")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, email, pw, name, handle, kind, terr string) {
		in := RegisterInput{Email: email, Password: pw, Name: name, Handle: handle, Kind: kind, Territory: ParseTerritory(terr)}
		u, err := in.validate("territory.")
		if err == nil && (u.EmailLower == "" || u.Name == "" || len([]rune(pw)) < MinPasswordLen) {
			t.Fatalf("accepted %+v", in)
		}
	})
}

func TestInspectionScope(t *testing.T) {
	insp := &User{Roles: []Role{RoleLearner, RoleInspector}, Territory: Territory{Academie: "lyon", Departement: "69", UAI: "0691234A"}}
	scope := insp.InspectionScope()
	if scope.UAI != "" || scope.Level() != "departement" {
		t.Fatalf("scope %+v", scope)
	}
	for _, tc := range []struct {
		t    Territory
		want bool
	}{
		{Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon 3", UAI: "0690001A"}, true},
		{Territory{Academie: "lyon", Departement: "01"}, false},
		{Territory{Academie: "grenoble", Departement: "69"}, false},
		{Territory{}, false},
	} {
		if got := scope.Contains(tc.t); got != tc.want {
			t.Errorf("Contains(%+v) = %t", tc.t, got)
		}
	}
	if (&User{Roles: []Role{RoleLearner}, Territory: insp.Territory}).InspectionScope() != (Territory{}) {
		t.Error("a learner has a scope")
	}
	if (Territory{}).Contains(Territory{Academie: "lyon"}) {
		t.Error("an empty scope contains something")
	}
}
