package courses

import (
	"io"
	"strconv"
	"strings"
	"time"

	"ardoise/internal/csvcell"
)

// CSVColumns are the columns of the payment export, in order; they are
// documented in docs/training.md.
var CSVColumns = []string{
	"ligne", "annee_scolaire", "enseignant_id", "enseignant_nom", "academie", "departement", "circonscription", "uai",
	"module", "version", "titre", "nature", "compte_pour", "heures", "montant_eur", "session", "demi_journees_presentes",
	"demi_journees", "date_achevement", "etat", "valide_par", "valide_le",
}

// WriteCSV writes ledger lines as the payment export: UTF-8 with a byte
// order mark (spreadsheets then read accents right), semicolons (French
// spreadsheets), decimal commas, dates as YYYY-MM-DD in Paris time. Every
// cell that a spreadsheet would read as a formula (a name typed as
// =HYPERLINK(…)) is written as text (see internal/csvcell).
func WriteCSV(w io.Writer, lines []Line) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w, ';')
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, l := range lines {
		by, at := "", ""
		for _, e := range l.Events {
			if e.Action == ActionValidate {
				by, at = e.ByName, day(e.At)
			}
		}
		row := []string{
			l.ID, l.SchoolYear, l.LearnerID, l.LearnerName, l.Territory.Academie, l.Territory.Departement,
			l.Territory.Circonscription, l.Territory.UAI, l.Slug, strconv.Itoa(l.Version), l.Title, l.Nature, l.CountsFor,
			decimal(float64(l.DeclaredMinutes)/60, 2), decimal(float64(l.AmountCents)/100, 2), l.SessionID,
			strconv.Itoa(l.Attended), strconv.Itoa(l.HalfDays), day(l.CompletedAt), l.State, by, at,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(paris).Format("2006-01-02")
}

// decimal formats a number with a decimal comma.
func decimal(v float64, places int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', places, 64), ".", ",", 1)
}
