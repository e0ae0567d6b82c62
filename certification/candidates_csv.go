package certification

// The candidates file a référent imports, and its checks.
//
// The per-line messages built here are French-only data, not UI text: the
// API contract returns them as they are ({"lines":[{"line","message"}]})
// and the référent reads them next to the file, so they are written with
// fmt in French and carry the offending values; they are not in the i18n
// catalog.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of the candidates file.
const (
	csvMaxCandidates = 1000
	csvMaxNameRunes  = 100
	csvMaxEmailLen   = 254
	csvMaxExtraTime  = 100
	csvMinAge        = 16
	csvMaxAge        = 100
)

// CandidateInput is one candidate read from the file, checked and cleaned:
// names trimmed (NFC), BirthDate as YYYY-MM-DD, Email lower-case,
// ExtraTime in percent (0..100), Adjustment for a disability arrangement.
type CandidateInput struct {
	LastName   string `json:"lastName"`
	FirstName  string `json:"firstName"`
	BirthDate  string `json:"birthDate"`
	Email      string `json:"email"`
	ExtraTime  int    `json:"extraTime"`
	Adjustment bool   `json:"adjustment"`
}

// LineError is a problem on one physical line of the file (the header is
// line 1), with its message in French.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Column keys, as the header folds to them, and their names as the
// référent's template spells them (for messages).
const (
	csvColLastName   = "nom"
	csvColFirstName  = "prenom"
	csvColBirthDate  = "date_naissance"
	csvColEmail      = "email"
	csvColExtraTime  = "temps_majore"
	csvColAdjustment = "amenagement"
)

var csvColumnOrder = []string{csvColLastName, csvColFirstName, csvColBirthDate, csvColEmail, csvColExtraTime, csvColAdjustment}

var csvColumnLabel = map[string]string{
	csvColLastName:   "nom",
	csvColFirstName:  "prénom",
	csvColBirthDate:  "date_naissance",
	csvColEmail:      "email",
	csvColExtraTime:  "temps_majoré",
	csvColAdjustment: "aménagement",
}

// ParseCandidates reads a candidates file (UTF-8 with or without BOM, ';'
// or ',' as separator, detected on the header) and returns its candidates,
// or every line error found: when errors is not empty the caller saves
// nothing. Blank lines are skipped; line numbers are physical lines. now
// sets the date against which birth dates are checked (not in the future,
// age from 16 to 100 on now's calendar day in now's location). The caller
// caps the file's size.
func ParseCandidates(r io.Reader, now time.Time) ([]CandidateInput, []LineError) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, []LineError{{Line: 1, Message: "le fichier n'a pas pu être lu"}}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = csvDetectSeparator(data)
	cr.LazyQuotes = false
	cr.FieldsPerRecord = -1

	p := candidatesParser{now: now, seen: map[string]int{}}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The reader has consumed the faulty record: go on with the next.
			p.addf(pe.StartLine, "ligne illisible (guillemets mal placés ?) : %s", csvErrorFrench(pe.Err))
			if header {
				return nil, p.errs
			}
			continue
		}
		if err != nil {
			p.addf(1, "le fichier n'a pas pu être lu")
			return nil, p.errs
		}
		line, _ := cr.FieldPos(0)
		if csvBlankRecord(rec) {
			continue
		}
		if header {
			header = false
			if !p.readHeader(line, rec) {
				return nil, p.errs
			}
			continue
		}
		p.readCandidate(line, rec)
	}
	if header {
		p.addf(1, "le fichier est vide : la première ligne doit être l'en-tête %s", strings.Join(csvHeaderLabels(), ";"))
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.out, nil
}

// candidatesParser holds the state of one ParseCandidates call.
type candidatesParser struct {
	now   time.Time
	index map[string]int // column key → field index
	seen  map[string]int // lower-case email → line of its first use
	count int
	out   []CandidateInput
	errs  []LineError
}

func (p *candidatesParser) addf(line int, format string, args ...any) {
	p.errs = append(p.errs, LineError{Line: line, Message: fmt.Sprintf(format, args...)})
}

// csvDetectSeparator picks ';' or ',' from the first non-blank line: the one
// it holds more of, ';' on a tie (French spreadsheets write it).
func csvDetectSeparator(data []byte) rune {
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if bytes.Count(l, []byte(",")) > bytes.Count(l, []byte(";")) {
			return ','
		}
		return ';'
	}
	return ';'
}

func csvBlankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvHeaderLabels() []string {
	labels := make([]string, len(csvColumnOrder))
	for i, k := range csvColumnOrder {
		labels[i] = csvColumnLabel[k]
	}
	return labels
}

// readHeader maps the header's columns and reports whether it is usable.
func (p *candidatesParser) readHeader(line int, rec []string) bool {
	p.index = map[string]int{}
	for i, name := range rec {
		key := csvFoldHeader(name)
		switch {
		case !utf8.ValidString(name):
			p.addf(line, "en-tête : la colonne %d n'est pas en UTF-8 : enregistrez le fichier en UTF-8", i+1)
		case csvColumnLabel[key] == "":
			p.addf(line, "en-tête : colonne inconnue « %s » (colonnes attendues : %s)", strings.TrimSpace(name), strings.Join(csvHeaderLabels(), ", "))
		case csvHasColumn(p.index, key):
			p.addf(line, "en-tête : colonne « %s » en double", csvColumnLabel[key])
		default:
			p.index[key] = i
		}
	}
	for _, k := range csvColumnOrder {
		if !csvHasColumn(p.index, k) {
			p.addf(line, "en-tête : colonne « %s » manquante", csvColumnLabel[k])
		}
	}
	return len(p.errs) == 0
}

func csvHasColumn(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// csvFoldHeader folds a header cell: trimmed, lower-case, without accents.
func csvFoldHeader(s string) string {
	return strings.ToLower(withoutMarks(strings.TrimSpace(s)))
}

// readCandidate checks one data line and keeps its candidate if the line
// has no error; every error of the line is reported.
func (p *candidatesParser) readCandidate(line int, rec []string) {
	p.count++
	if p.count == csvMaxCandidates+1 {
		p.addf(line, "le fichier dépasse %d candidats : importez-le en plusieurs fois", csvMaxCandidates)
	}
	if len(rec) != len(p.index) {
		p.addf(line, "la ligne a %d colonnes au lieu de %d (séparateur ou guillemets en trop ?)", len(rec), len(p.index))
		return
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			p.addf(line, "la ligne contient des caractères illisibles : enregistrez le fichier en UTF-8")
			return
		}
	}
	field := func(k string) string { return strings.TrimSpace(rec[p.index[k]]) }
	before := len(p.errs)
	c := CandidateInput{
		LastName:  p.name(line, "nom", field(csvColLastName)),
		FirstName: p.name(line, "prénom", field(csvColFirstName)),
		BirthDate: p.birthDate(line, field(csvColBirthDate)),
		Email:     p.email(line, field(csvColEmail)),
	}
	c.ExtraTime = p.extraTime(line, field(csvColExtraTime))
	c.Adjustment = p.adjustment(line, field(csvColAdjustment))
	if len(p.errs) == before {
		p.out = append(p.out, c)
	}
}

func (p *candidatesParser) name(line int, label, s string) string {
	switch {
	case s == "":
		p.addf(line, "%s manquant", label)
		return ""
	case strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
	}):
		p.addf(line, "le %s contient un caractère invisible ou de contrôle", label)
		return ""
	}
	s = norm.NFC.String(s)
	if n := utf8.RuneCountInString(s); n > csvMaxNameRunes {
		p.addf(line, "%s trop long : %d caractères, %d au plus", label, n, csvMaxNameRunes)
		return ""
	}
	return s
}

func (p *candidatesParser) birthDate(line int, s string) string {
	if s == "" {
		p.addf(line, "date de naissance manquante : écrivez JJ/MM/AAAA ou AAAA-MM-JJ")
		return ""
	}
	d, ok := csvBirthDate(s)
	if !ok {
		p.addf(line, "date de naissance « %s » invalide : écrivez JJ/MM/AAAA ou AAAA-MM-JJ", s)
		return ""
	}
	y, m, dd := p.now.Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	switch age := csvAgeOn(d, today); {
	case d.After(today):
		p.addf(line, "date de naissance « %s » dans le futur", s)
	case age < csvMinAge:
		p.addf(line, "date de naissance « %s » : le candidat doit avoir au moins %d ans", s, csvMinAge)
	case age > csvMaxAge:
		p.addf(line, "date de naissance « %s » : plus de %d ans, vérifiez l'année", s, csvMaxAge)
	default:
		return d.Format(time.DateOnly)
	}
	return ""
}

// csvBirthDate reads JJ/MM/AAAA (day and month may have one digit) or
// AAAA-MM-JJ, and only a real calendar date.
func csvBirthDate(s string) (time.Time, bool) {
	var parts []string
	var y, m, d string
	if parts = strings.Split(s, "/"); len(parts) == 3 {
		d, m, y = parts[0], parts[1], parts[2]
		if len(d) > 2 || len(m) > 2 {
			return time.Time{}, false
		}
	} else if parts = strings.Split(s, "-"); len(parts) == 3 {
		y, m, d = parts[0], parts[1], parts[2]
		if len(d) != 2 || len(m) != 2 {
			return time.Time{}, false
		}
	} else {
		return time.Time{}, false
	}
	if len(y) != 4 {
		return time.Time{}, false
	}
	yi, ok1 := csvDigits(y)
	mi, ok2 := csvDigits(m)
	di, ok3 := csvDigits(d)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di {
		return time.Time{}, false
	}
	return t, true
}

// csvDigits parses 1 to 4 ASCII digits.
func csvDigits(s string) (int, bool) {
	if s == "" || len(s) > 4 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// csvAgeOn returns the age in completed years on day today of a person born on
// birth.
func csvAgeOn(birth, today time.Time) int {
	age := today.Year() - birth.Year()
	if today.Month() < birth.Month() || (today.Month() == birth.Month() && today.Day() < birth.Day()) {
		age--
	}
	return age
}

func (p *candidatesParser) email(line int, s string) string {
	if s == "" {
		p.addf(line, "adresse e-mail manquante")
		return ""
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Name != "" || a.Address != s || len(s) > csvMaxEmailLen ||
		at < 1 || !strings.Contains(s[at+1:], ".") || strings.ContainsAny(s, " <>\"") {
		p.addf(line, "adresse e-mail « %s » invalide", s)
		return ""
	}
	s = strings.ToLower(s)
	if first, dup := p.seen[s]; dup {
		p.addf(line, "adresse e-mail « %s » déjà donnée à la ligne %d", s, first)
		return ""
	}
	p.seen[s] = line
	return s
}

func (p *candidatesParser) extraTime(line int, s string) int {
	v := strings.TrimSpace(strings.TrimSuffix(s, "%"))
	if v == "" {
		return 0
	}
	n, ok := csvDigits(v)
	if !ok || n > csvMaxExtraTime {
		p.addf(line, "temps majoré « %s » invalide : écrivez un pourcentage entier de 0 à %d", s, csvMaxExtraTime)
		return 0
	}
	return n
}

func (p *candidatesParser) adjustment(line int, s string) bool {
	switch strings.ToLower(s) {
	case "oui":
		return true
	case "non", "":
		return false
	}
	p.addf(line, "aménagement « %s » invalide : écrivez oui ou non", s)
	return false
}

// csvErrorFrench says encoding/csv's quoting errors in French.
func csvErrorFrench(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "un guillemet \" dans un champ non entouré de guillemets"
	case errors.Is(err, csv.ErrQuote):
		return "un champ entre guillemets n'est pas refermé correctement"
	}
	return "format CSV incorrect"
}

// NameKey returns the key two spellings of a name are compared by at
// check-in: lower-case, without accents, ligatures spelt out (œ → oe), and
// without hyphens, apostrophes or spaces, so that "Jean-Élie",
// "jean elie", "JEAN ELIE" and "jeanelie" share one key.
func NameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(withoutMarks(s)) {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Pd, r), nameApostrophe(r):
		case r == 'œ':
			b.WriteString("oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nameApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', '′':
		return true
	}
	return false
}

// withoutMarks removes combining marks after canonical decomposition (NFD):
// "É" becomes "E".
func withoutMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
}
