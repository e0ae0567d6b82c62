package web

import (
	"bytes"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"ardoise/campaigns"
	"ardoise/internal/clock"
	"ardoise/internal/csvcell"
)

// organiseExport is GET /suivi/campagnes/:id/export.csv: the shared
// participations, oldest first, with the hours CSV's conventions (UTF-8
// with a byte order mark, semicolons, dates as YYYY-MM-DD in Paris time,
// every cell formula-safe). The file is named after the campaign's code,
// never its title.
func (a *App) organiseExport(c *fiber.Ctx) error {
	camp, entries, err := a.Campaigns.Shared(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeSharedCSV(&buf, a.Campaigns.Measured(camp), entries, func(e campaigns.SharedEntry) string { return a.participantName(c, e) }); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="campagne-`+campaignFileName(camp)+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// campaignFileName is the campaign's code when it is made of letters and
// digits only (it always is), else its id checked the same way, else
// "export": nothing a person typed reaches the header.
func campaignFileName(c *campaigns.Campaign) string {
	for _, s := range []string{c.Code, c.ID} {
		if s != "" && alnum(s) {
			return s
		}
	}
	return "export"
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// writeSharedCSV writes shared participations: name, date shared, then
// the level of each competence (empty when not measured).
func writeSharedCSV(w io.Writer, competences []string, entries []campaigns.SharedEntry, name func(campaigns.SharedEntry) string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w, ';')
	head := []string{"nom", "date_partage"}
	for _, id := range competences {
		head = append(head, "niveau_"+id)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, e := range entries {
		row := []string{name(e), e.SharedAt.In(clock.Paris()).Format("2006-01-02")}
		for _, id := range competences {
			cell := ""
			for _, l := range e.Levels {
				if l.Competence == id {
					cell = strconv.Itoa(l.Level)
				}
			}
			row = append(row, cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
