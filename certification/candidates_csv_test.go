package certification

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var csvNow = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

const csvHeader = "nom;prénom;date_naissance;email;temps_majoré;aménagement\n"

func parseString(t *testing.T, s string) ([]CandidateInput, []LineError) {
	t.Helper()
	return ParseCandidates(strings.NewReader(s), csvNow)
}

// wantCandidates parses in and requires exactly want, without errors.
func wantCandidates(t *testing.T, in string, want []CandidateInput) {
	t.Helper()
	got, errs := parseString(t, in)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestParseCandidatesSemicolonWithBOM(t *testing.T) {
	in := "\uFEFF  Prénom ;NOM;Email;date_naissance;Temps_Majore;AMÉNAGEMENT\r\n" +
		"Élise;  Durand  ;Elise.Durand@Example.fr;03/04/2005; 33 % ;Oui\r\n" +
		"Jean-Élie;O'Brien;jeb@ac-lyon.fr;1980-12-31;;\r\n" +
		"Zoé;Martin;zoe@ac-lyon.fr;1/2/1990;0;non\r\n"
	wantCandidates(t, in, []CandidateInput{
		{LastName: "Durand", FirstName: "Élise", BirthDate: "2005-04-03", Email: "elise.durand@example.fr", ExtraTime: 33, Adjustment: true},
		{LastName: "O'Brien", FirstName: "Jean-Élie", BirthDate: "1980-12-31", Email: "jeb@ac-lyon.fr"},
		{LastName: "Martin", FirstName: "Zoé", BirthDate: "1990-02-01", Email: "zoe@ac-lyon.fr"},
	})
}

func TestParseCandidatesCommaQuoted(t *testing.T) {
	in := "nom,prenom,date_naissance,email,temps_majore,amenagement\n" +
		"\"Dupont, dit \"\"Toto\"\"\",\"Anne; Marie\",\"2000-01-15\",anne@example.org,\"25%\",NON\n" +
		"Nguyen,Bao,29/02/2008,bao@example.org,100,oui\n"
	wantCandidates(t, in, []CandidateInput{
		{LastName: `Dupont, dit "Toto"`, FirstName: "Anne; Marie", BirthDate: "2000-01-15", Email: "anne@example.org", ExtraTime: 25},
		{LastName: "Nguyen", FirstName: "Bao", BirthDate: "2008-02-29", Email: "bao@example.org", ExtraTime: 100, Adjustment: true},
	})
}

// Each bad line stands on line 3, after a good line 2.
func TestParseCandidatesLineErrors(t *testing.T) {
	cases := []struct {
		line, want string
	}{
		{";Anne;2000-01-15;a@example.org;;", "nom manquant"},
		{"Durand;  ;2000-01-15;a@example.org;;", "prénom manquant"},
		{strings.Repeat("é", 101) + ";Anne;2000-01-15;a@example.org;;", "nom trop long : 101 caractères, 100 au plus"},
		{"Durand;An\u200bne;2000-01-15;a@example.org;;", "le prénom contient un caractère invisible ou de contrôle"},
		{"Dur\x07and;Anne;2000-01-15;a@example.org;;", "le nom contient un caractère invisible ou de contrôle"},
		{"Durand;Anne;;a@example.org;;", "date de naissance manquante"},
		{"Durand;Anne;31/02/1980;a@example.org;;", "date de naissance « 31/02/1980 » invalide : écrivez JJ/MM/AAAA ou AAAA-MM-JJ"},
		{"Durand;Anne;1980-2-3;a@example.org;;", "date de naissance « 1980-2-3 » invalide"},
		{"Durand;Anne;15.01.2000;a@example.org;;", "date de naissance « 15.01.2000 » invalide"},
		{"Durand;Anne;15/01/00;a@example.org;;", "date de naissance « 15/01/00 » invalide"},
		{"Durand;Anne;2026-06-16;a@example.org;;", "date de naissance « 2026-06-16 » dans le futur"},
		{"Durand;Anne;16/06/2010;a@example.org;;", "le candidat doit avoir au moins 16 ans"},
		{"Durand;Anne;14/06/1925;a@example.org;;", "plus de 100 ans"},
		{"Durand;Anne;2000-01-15;;;", "adresse e-mail manquante"},
		{"Durand;Anne;2000-01-15;anne;;", "adresse e-mail « anne » invalide"},
		{"Durand;Anne;2000-01-15;Anne <a@example.org>;;", "adresse e-mail « Anne <a@example.org> » invalide"},
		{"Durand;Anne;2000-01-15;a@localhost;;", "adresse e-mail « a@localhost » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;101;", "temps majoré « 101 » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;-5;", "temps majoré « -5 » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;1/3;", "temps majoré « 1/3 » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;12.5%;", "temps majoré « 12.5% » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;;peut-être", "aménagement « peut-être » invalide : écrivez oui ou non"},
		{"Durand;Anne;2000-01-15;a@example.org;;1", "aménagement « 1 » invalide"},
		{"Durand;Anne;2000-01-15;a@example.org;", "la ligne a 5 colonnes au lieu de 6"},
		{"Durand;Anne;2000-01-15;a@example.org;;;", "la ligne a 7 colonnes au lieu de 6"},
		{"Dur\"and;Anne;2000-01-15;a@example.org;;", "ligne illisible"},
		{"Durand;Anne\xff;2000-01-15;a@example.org;;", "enregistrez le fichier en UTF-8"},
		{"Durand;Anne;2000-01-15;first@example.org;;", "adresse e-mail « first@example.org » déjà donnée à la ligne 2"},
	}
	for _, c := range cases {
		in := csvHeader + "Premier;Paul;2000-01-01;First@Example.org;;\n" + c.line + "\n"
		got, errs := parseString(t, in)
		if got != nil {
			t.Errorf("%q: candidates returned with errors: %v", c.line, got)
		}
		if len(errs) != 1 || errs[0].Line != 3 || !strings.Contains(errs[0].Message, c.want) {
			t.Errorf("%q: got %v, want one error on line 3 containing %q", c.line, errs, c.want)
		}
	}
}

func TestParseCandidatesAgeBounds(t *testing.T) {
	for _, c := range []struct {
		date string
		ok   bool
	}{
		{"15/06/2010", true},  // 16 today
		{"16/06/2010", false}, // 16 tomorrow
		{"15/06/1925", false}, // 101 today
		{"16/06/1925", true},  // 100, 101 tomorrow
		{"15/06/1926", true},  // 100 today
		{"14/06/1925", false},
		{"15/06/2026", false}, // born today: too young, not in the future
	} {
		_, errs := parseString(t, csvHeader+"Durand;Anne;"+c.date+";a@example.org;;\n")
		if (len(errs) == 0) != c.ok {
			t.Errorf("%s: errors %v, want ok=%v", c.date, errs, c.ok)
		}
	}
}

func TestParseCandidatesAllErrorsAndBlankLines(t *testing.T) {
	in := csvHeader +
		"\n" + // 2: blank
		"Durand;Anne;2000-01-15;a@example.org;;\n" + // 3: fine
		";;;;;\n" + // 4: blank (empty cells)
		"  \n" + // 5: blank
		"Martin;;31/02/1980;pas-une-adresse;200;peut-être\n" + // 6: four errors
		"Petit;Léa;2001-03-04;A@EXAMPLE.ORG;;\n" + // 7: duplicate of line 3
		"\"Multi\nligne\";Jo;2001-03-04;jo@example.org;;\n" + // 8-9: a quoted line break in a name
		"Roux;Max;2001-03-04;max@example.org\n" + // 10: four fields
		"Roux;\"Max\"ime;2001-03-04;max@example.org;;\n" + // 11: text after a closing quote
		"Roux;Max;2001-03-04;max@example.org;;non\n" + // 12: fine
		"Roux;Max;3001-03-04;max2@example.org;;\n" // 13: in the future
	got, errs := parseString(t, in)
	if got != nil {
		t.Fatalf("candidates returned with errors: %v", got)
	}
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	if want := []int{6, 6, 6, 6, 6, 7, 8, 10, 11, 13}; !reflect.DeepEqual(lines, want) {
		t.Fatalf("lines %v, want %v: %v", lines, want, errs)
	}
	if !strings.Contains(errs[5].Message, "déjà donnée à la ligne 3") {
		t.Errorf("duplicate: %q", errs[5].Message)
	}

	// The same file without its errors parses, blank lines skipped.
	in = csvHeader + "\n\nDurand;Anne;2000-01-15;a@example.org;;\n\n;;;;;\n\"Jo;\nJo\";Jo;2001-03-04;jo@example.org;;\n\n"
	got, errs = parseString(t, in)
	if len(errs) != 1 || errs[0].Line != 7 || got != nil {
		t.Fatalf("got %v, %v", got, errs)
	}
	in = csvHeader + "\n\nDurand;Anne;2000-01-15;a@example.org;;\n\n;;;;;\n\"Jo;Jo\";Jo;2001-03-04;jo@example.org;;\n\n"
	got, errs = parseString(t, in)
	if len(errs) != 0 || len(got) != 2 || got[1].LastName != "Jo;Jo" {
		t.Fatalf("got %v, %v", got, errs)
	}
}

func TestParseCandidatesHeader(t *testing.T) {
	cases := []struct {
		header string
		want   []string
	}{
		{"nom;prenom;date_naissance;email;temps_majore;amenagement;classe", []string{"colonne inconnue « classe »"}},
		{"nom;prénom;date_naissance;email;temps_majoré", []string{"colonne « aménagement » manquante"}},
		{"nom;prénom;date_naissance;email;aménagement;Nom", []string{"colonne « nom » en double", "colonne « temps_majoré » manquante"}},
		{"nom prénom date_naissance email temps_majoré aménagement", []string{"colonne inconnue", "« nom » manquante", "« prénom » manquante", "« date_naissance » manquante", "« email » manquante", "« temps_majoré » manquante", "« aménagement » manquante"}},
	}
	for _, c := range cases {
		got, errs := parseString(t, c.header+"\nDurand;Anne;2000-01-15;a@example.org;;\n")
		if got != nil || len(errs) != len(c.want) {
			t.Errorf("%q: got %v %v, want %d errors", c.header, got, errs, len(c.want))
			continue
		}
		for i, e := range errs {
			if e.Line != 1 || !strings.Contains(e.Message, c.want[i]) {
				t.Errorf("%q: error %d = %+v, want line 1 containing %q", c.header, i, e, c.want[i])
			}
		}
	}
}

func TestParseCandidatesEmptyAndTooMany(t *testing.T) {
	for _, in := range []string{"", "\uFEFF", "\n\n"} {
		got, errs := parseString(t, in)
		if got != nil || len(errs) != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Message, "le fichier est vide") {
			t.Errorf("%q: got %v %v", in, got, errs)
		}
	}
	got, errs := parseString(t, csvHeader)
	if len(got) != 0 || len(errs) != 0 {
		t.Errorf("header only: got %v %v", got, errs)
	}

	var b strings.Builder
	b.WriteString(csvHeader)
	for i := range 1002 {
		fmt.Fprintf(&b, "Nom%d;Prénom;2000-01-15;c%d@example.org;;\n", i, i)
	}
	got, errs = parseString(t, b.String())
	if got != nil || len(errs) != 1 || errs[0].Line != 1002 || !strings.Contains(errs[0].Message, "dépasse 1000 candidats") {
		t.Errorf("1002 candidates: got %d, %v", len(got), errs)
	}
	got, errs = parseString(t, strings.Join(strings.SplitN(b.String(), "\n", 1002)[:1001], "\n"))
	if len(got) != 1000 || len(errs) != 0 {
		t.Errorf("1000 candidates: got %d, %v", len(got), errs)
	}
}

func TestNameKey(t *testing.T) {
	same := [][]string{
		{"Jean-Élie", "jean elie", "JEAN ELIE", "jeanelie", "  Jean -  élie ", "Jean\u2011Elie"},
		{"O'Brien", "O’Brien", "obrien", "O BRIEN"},
		{"Lætitia", "Laetitia", "LAETITIA"},
		{"Cœur", "COEUR", "Coeur"},
		{"Ngô Bảo Châu", "ngo bao chau"},
		{"Zoe\u0301", "Zoé", "ZOE"}, // decomposed and composed é
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if NameKey(s) != NameKey(group[0]) {
				t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q", s, NameKey(s), group[0], NameKey(group[0]))
			}
		}
	}
	if got := NameKey("Jean-Élie"); got != "jeanelie" {
		t.Errorf("NameKey(Jean-Élie) = %q", got)
	}
	if NameKey("Jean") == NameKey("Jeanne") || NameKey("Léa") == NameKey("Lea B") {
		t.Error("different names share a key")
	}
}
