package profile

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Territory places a teacher in the school system: académie, département,
// circonscription and school (UAI). For an inspector it is also the scope of
// what they see: the deepest level given is their level.
type Territory struct {
	Academie        string `bson:"academie,omitempty" json:"academie,omitempty"`
	Departement     string `bson:"departement,omitempty" json:"departement,omitempty"`
	Circonscription string `bson:"circonscription,omitempty" json:"circonscription,omitempty"`
	UAI             string `bson:"uai,omitempty" json:"uai,omitempty"`
}

// TerritoryChange records a territory a person left, and when.
type TerritoryChange struct {
	Territory Territory `bson:"territory" json:"territory"`
	Until     time.Time `bson:"until" json:"until"`
}

// IsZero reports whether no part is set.
func (t Territory) IsZero() bool { return t == Territory{} }

// Complete reports whether the territory names a school, as training hours require.
func (t Territory) Complete() bool {
	return t.Academie != "" && t.Departement != "" && t.Circonscription != "" && t.UAI != ""
}

// Level is the deepest level set: "academie", "departement", "circonscription", "uai" or "".
func (t Territory) Level() string {
	switch {
	case t.UAI != "":
		return "uai"
	case t.Circonscription != "":
		return "circonscription"
	case t.Departement != "":
		return "departement"
	case t.Academie != "":
		return "academie"
	}
	return ""
}

// Academie is one of the 30 académies of the French school system.
type Academie struct {
	Code string
	Name string
}

// Academies lists the académies (regional academic organisation of 2020).
var Academies = []Academie{
	{"aix-marseille", "Aix-Marseille"}, {"amiens", "Amiens"}, {"besancon", "Besançon"},
	{"bordeaux", "Bordeaux"}, {"clermont-ferrand", "Clermont-Ferrand"}, {"corse", "Corse"},
	{"creteil", "Créteil"}, {"dijon", "Dijon"}, {"grenoble", "Grenoble"},
	{"guadeloupe", "Guadeloupe"}, {"guyane", "Guyane"}, {"la-reunion", "La Réunion"},
	{"lille", "Lille"}, {"limoges", "Limoges"}, {"lyon", "Lyon"},
	{"martinique", "Martinique"}, {"mayotte", "Mayotte"}, {"montpellier", "Montpellier"},
	{"nancy-metz", "Nancy-Metz"}, {"nantes", "Nantes"}, {"nice", "Nice"},
	{"normandie", "Normandie"}, {"orleans-tours", "Orléans-Tours"}, {"paris", "Paris"},
	{"poitiers", "Poitiers"}, {"reims", "Reims"}, {"rennes", "Rennes"},
	{"strasbourg", "Strasbourg"}, {"toulouse", "Toulouse"}, {"versailles", "Versailles"},
}

// AcademieName returns the display name of an académie code.
func AcademieName(code string) string {
	for _, a := range Academies {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// academieCode finds an académie by code or name, ignoring case, accents and spaces.
func academieCode(s string) (string, bool) {
	k := fold(s)
	k = strings.ReplaceAll(k, " ", "-")
	for _, a := range Academies {
		if k == a.Code || k == strings.ReplaceAll(fold(a.Name), " ", "-") {
			return a.Code, true
		}
	}
	return "", false
}

var (
	departementRe = regexp.MustCompile(`^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$`) // no 20 since 1976: Corsica is 2A and 2B
	uaiRe         = regexp.MustCompile(`^[0-9]{7}[A-Z]$`)
)

// normalize checks a territory and puts its parts in canonical form.
// Field errors are added to v under prefix ("territory." for the API).
func (t Territory) normalize(v interface{ Add(string, string) }, prefix string) Territory {
	out := Territory{
		Departement:     strings.ToUpper(strings.TrimSpace(t.Departement)),
		Circonscription: strings.TrimSpace(t.Circonscription),
		UAI:             strings.ToUpper(strings.TrimSpace(t.UAI)),
	}
	if a := strings.TrimSpace(t.Academie); a != "" {
		code, ok := academieCode(a)
		if !ok {
			v.Add(prefix+"academie", "unknown_academie")
		}
		out.Academie = code
	}
	if out.Departement != "" && !departementRe.MatchString(out.Departement) {
		v.Add(prefix+"departement", "bad_departement")
	}
	if len([]rune(out.Circonscription)) > 80 {
		v.Add(prefix+"circonscription", "too_long")
	} else if strings.ContainsFunc(out.Circonscription, func(r rune) bool { return control(r) || invisible(r) }) {
		v.Add(prefix+"circonscription", "bad_text")
	}
	if out.UAI != "" && !uaiRe.MatchString(out.UAI) {
		v.Add(prefix+"uai", "bad_uai")
	}
	// A deeper level needs the levels above it.
	if out.Academie == "" && (out.Departement != "" || out.Circonscription != "" || out.UAI != "") {
		v.Add(prefix+"academie", "required")
	}
	if out.Departement == "" && (out.Circonscription != "" || out.UAI != "") {
		v.Add(prefix+"departement", "required")
	}
	return out
}

// ParseTerritory reads "ACADÉMIE/DÉPARTEMENT[/CIRCONSCRIPTION[/UAI]]" as the
// command line gives it.
func ParseTerritory(s string) Territory {
	parts := strings.Split(s, "/")
	var t Territory
	for i, p := range parts {
		switch i {
		case 0:
			t.Academie = p
		case 1:
			t.Departement = p
		case 2:
			t.Circonscription = p
		case 3:
			t.UAI = p
		}
	}
	return t
}

// fold lowercases and strips accents, for comparisons people expect to be lenient.
func fold(s string) string {
	tr := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(tr, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// Scope is the part of the school system an inspector oversees: their
// territory down to the circonscription (a school is never a scope). The
// deepest level set is the scope's level; an empty scope sees nothing.
func (t Territory) Scope() Territory {
	t.UAI = ""
	return t
}

// Contains reports whether other lies inside the scope t: every level t sets
// matches. An empty scope contains nothing.
func (t Territory) Contains(other Territory) bool {
	if t.Academie == "" {
		return false
	}
	return t.Academie == other.Academie &&
		(t.Departement == "" || t.Departement == other.Departement) &&
		(t.Circonscription == "" || strings.EqualFold(t.Circonscription, other.Circonscription))
}
