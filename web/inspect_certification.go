package web

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
	"ardoise/internal/csvcell"
	"ardoise/profile"
)

// scopeCertView is certification in an inspector's scope as the page
// shows it.
type scopeCertView struct {
	ScopeText string
	Results   []scopeCertRow
	Sessions  []scopeSessionRow
}

type scopeCertRow struct {
	certification.ScopeResult
	Day, Levels string
}

type scopeSessionRow struct {
	certification.ScopeSession
	Day string
}

// inspectCertification is GET /suivi/certification: the certificates
// issued to the teachers of the inspector's scope, and the sessions its
// centres held (two reads by _id).
func (a *App) inspectCertification(c *fiber.Ctx) error {
	v, err := a.Certification.InScope(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	l := lang(c)
	out := scopeCertView{ScopeText: profile.FormatScope(v.Scope)}
	for _, r := range v.Results {
		out.Results = append(out.Results, scopeCertRow{ScopeResult: r, Day: frenchDay(l, r.Date), Levels: levelsText(r.Levels, " : ", ", ")})
	}
	for _, x := range v.Sessions {
		out.Sessions = append(out.Sessions, scopeSessionRow{ScopeSession: x, Day: frenchDay(l, x.Date)})
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return a.render(c, fiber.StatusOK, "inspect_certification", page{Title: "inspect_certification.title", Data: out})
}

// inspectCertificationExport is GET /suivi/certification/export.csv: the
// certificates of the scope with the hours CSV's conventions (UTF-8 with a
// byte order mark, semicolons, dates as YYYY-MM-DD, every cell
// formula-safe). The file's name is fixed text.
func (a *App) inspectCertificationExport(c *fiber.Ctx) error {
	v, err := a.Certification.InScope(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeScopeCertCSV(&buf, v.Results); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="certification-perimetre.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// writeScopeCertCSV writes one line per certificate: name, date, score,
// levels (competence:level, space-separated), code, session, centre,
// revoked.
func writeScopeCertCSV(w io.Writer, rows []certification.ScopeResult) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w, ';')
	if err := cw.Write([]string{"nom", "date", "score", "niveaux", "code", "session", "centre", "revoque"}); err != nil {
		return err
	}
	for _, r := range rows {
		revoked := "non"
		if r.Revoked {
			revoked = "oui"
		}
		if err := cw.Write([]string{r.Name, r.Date, strconv.Itoa(r.Score), levelsText(r.Levels, ":", " "), r.Code,
			r.SessionID, r.Centre, revoked}); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// levelsText writes levels as competence, pair, level, joined by sep.
func levelsText(levels []certification.LevelLine, pair, sep string) string {
	parts := make([]string, 0, len(levels))
	for _, l := range levels {
		parts = append(parts, l.Competence+pair+strconv.Itoa(l.Level))
	}
	return strings.Join(parts, sep)
}
