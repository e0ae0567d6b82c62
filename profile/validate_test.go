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
		{"email with a bidi override", func(in *RegisterInput) { in.Email = "anne\u202Ecod.exe@exemple.fr" }, []string{"email"}},
		{"11 characters", func(in *RegisterInput) { in.Password = "onze caract" }, []string{"password"}},
		{"12 accented characters", func(in *RegisterInput) { in.Password = "éééééééééééé" }, nil},
		{"control character in name", func(in *RegisterInput) { in.Name = "An\x00ne" }, []string{"name"}},
		{"line break in name", func(in *RegisterInput) { in.Name = "Anne\r\nReply-To: x@y.fr" }, []string{"name"}},
		{"C1 control in display name", func(in *RegisterInput) { in.DisplayName = "Anne\u0085B" }, []string{"displayName"}},
		{"DEL in display name", func(in *RegisterInput) { in.DisplayName = "Anne\x7f" }, []string{"displayName"}},
		{"line separator in name", func(in *RegisterInput) { in.Name = "Anne\u2028Dupont" }, []string{"name"}},
		{"control character in circonscription", func(in *RegisterInput) {
			in.Territory = Territory{Academie: "lyon", Departement: "69", Circonscription: "Lyon\n7"}
		}, []string{"territory.circonscription"}},
		{"Greek alpha in a Latin word", func(in *RegisterInput) { in.DisplayName = "\u0391dmin" }, []string{"displayName"}},
		{"Cyrillic o in a Latin name", func(in *RegisterInput) { in.Name = "Jean Dup\u043ent" }, []string{"name"}},
		{"Greek first name, French surname", func(in *RegisterInput) { in.Name = "Ελένη Dupont" }, nil},
		{"Cyrillic name", func(in *RegisterInput) { in.DisplayName = "Наталья" }, nil},
		{"Japanese name mixing kanji and kana", func(in *RegisterInput) { in.DisplayName = "山田はなこ" }, nil},
		{"digits, hyphen and apostrophe mix with anything", func(in *RegisterInput) { in.DisplayName = "Ελένη-2 O'Brien (Ζ)" }, nil},
		{"accents and ligatures", func(in *RegisterInput) { in.Name = "Anne-Cécile Lœtitia N'Diaye Müller" }, nil},
		{"combining accent", func(in *RegisterInput) { in.Name = "Rene\u0301" }, nil},
		{"right-to-left override", func(in *RegisterInput) { in.DisplayName = "Anne\u202Egnp.exe" }, []string{"displayName"}},
		{"right-to-left isolate", func(in *RegisterInput) { in.Name = "Anne \u2067x\u2069" }, []string{"name"}},
		{"left-to-right mark", func(in *RegisterInput) { in.Name = "Anne\u200E" }, []string{"name"}},
		{"Arabic letter mark", func(in *RegisterInput) { in.DisplayName = "Anne\u061C" }, []string{"displayName"}},
		{"zero-width space", func(in *RegisterInput) { in.DisplayName = "Ad\u200Bmin" }, []string{"displayName"}},
		{"zero-width joiner", func(in *RegisterInput) { in.DisplayName = "Ad\u200Dmin" }, []string{"displayName"}},
		{"word joiner", func(in *RegisterInput) { in.DisplayName = "Ad\u2060min" }, []string{"displayName"}},
		{"byte order mark", func(in *RegisterInput) { in.Name = "\uFEFFAnne" }, []string{"name"}},
		{"soft hyphen", func(in *RegisterInput) { in.DisplayName = "Ad\u00ADmin" }, []string{"displayName"}},
		{"Hangul filler", func(in *RegisterInput) { in.DisplayName = "\u3164" }, []string{"displayName"}},
		{"handle with a zero-width space", func(in *RegisterInput) { in.Handle = "ad\u200Bmin" }, []string{"handle"}},
		{"handle with a bidi override", func(in *RegisterInput) { in.Handle = "anne\u202E" }, []string{"handle"}},
		{"handle with a Greek letter", func(in *RegisterInput) { in.Handle = "\u03b1nne" }, []string{"handle"}},
		{"handle looking like a reserved one", func(in *RegisterInput) { in.Handle = "adrnin" }, []string{"handle"}},
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
	// The scope is what an admin set, never the person's own territory.
	own := &User{Roles: []Role{RoleLearner, RoleInspector}, Territory: Territory{Academie: "paris", Departement: "75"}}
	if own.InspectionScope() != (Territory{}) {
		t.Fatalf("an inspector without a scope oversees their own territory: %+v", own.InspectionScope())
	}
	insp := &User{Roles: []Role{RoleLearner, RoleInspector}, Territory: Territory{Academie: "paris", Departement: "75"},
		Scope: Territory{Academie: "lyon", Departement: "69", UAI: "0691234A"}}
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
	if (&User{Roles: []Role{RoleLearner}, Territory: insp.Territory, Scope: insp.Scope}).InspectionScope() != (Territory{}) {
		t.Error("a learner has a scope")
	}
	if (Territory{}).Contains(Territory{Academie: "lyon"}) {
		t.Error("an empty scope contains something")
	}
}

func TestHandleSkeleton(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"admin", "adrnin", true},
		{"paulo", "paul0", true},
		{"lea-l", "lea-1", true},
		{"jean_dupont", "jean_dupont", true},
		{"anne", "anna", false},
		{"marie-d", "marie_d", false},
	} {
		if got := handleSkeleton(tc.a) == handleSkeleton(tc.b); got != tc.same {
			t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q: same %t, want %t",
				tc.a, handleSkeleton(tc.a), tc.b, handleSkeleton(tc.b), got, tc.same)
		}
	}
	// The data is Unicode's: a Greek capital alpha is a Latin A.
	if handleSkeleton("\u0391dmin") != handleSkeleton("admin") {
		t.Error("the skeleton does not fold Greek alpha")
	}
}

func TestParseScope(t *testing.T) {
	for in, want := range map[string]string{
		"Lyon": "lyon", "lyon/69": "lyon/69", "Orléans-Tours/45/Orléans Nord": "orleans-tours/45/Orléans Nord",
	} {
		got, err := ParseScope(in)
		if err != nil || FormatScope(got) != want {
			t.Errorf("ParseScope(%q) = %q, %v; want %q", in, FormatScope(got), err, want)
		}
	}
	for _, in := range []string{"", "lyon/69/Lyon 7/0691234A", "atlantis", "/69", "lyon//Lyon 7", "lyon/69/Lyon\n7"} {
		if _, err := ParseScope(in); err == nil {
			t.Errorf("ParseScope(%q) accepted", in)
		}
	}
}
