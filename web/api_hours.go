package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
	"ardoise/internal/errkind"
)

// apiHours returns the signed-in person's hours by school year.
func (a *App) apiHours(c *fiber.Ctx) error {
	years, err := a.Courses.HoursOf(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]fiber.Map, 0, len(years))
	for _, y := range years {
		out = append(out, fiber.Map{"schoolYear": y.SchoolYear, "obligationMinutes": y.ObligationMinutes,
			"paidMinutes": y.PaidMinutes, "amountCents": y.AmountCents, "lines": y.Lines})
	}
	return c.JSON(out)
}

// apiMyCertificates lists the signed-in person's attestations, with the
// reason of a revocation (for them only).
func (a *App) apiMyCertificates(c *fiber.Ctx) error {
	certs, err := a.Certificates.ForHolder(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	out := make([]fiber.Map, 0, len(certs))
	for _, cert := range certs {
		m := fiber.Map{"id": cert.ID, "code": cert.Code, "title": cert.Title, "hours": cert.Hours(),
			"issuedAt": cert.IssuedAt, "revoked": cert.Revoked, "pdf": "/profil/attestations/" + cert.ID + ".pdf",
			"verify": a.Certificates.VerifyURL(cert.Code)}
		if cert.Revoked { // the holder reads why; the public verification never does
			m["revokedAt"], m["revokedReason"] = cert.RevokedAt, cert.RevokedReason
		}
		out = append(out, m)
	}
	return c.JSON(out)
}

// apiInspectLines lists the ledger lines of the inspector's territory.
func (a *App) apiInspectLines(c *fiber.Ctx) error {
	f := courses.LineFilter{SchoolYear: c.Query("schoolYear"), State: c.Query("state"), Slug: c.Query("module"),
		After: c.Query("after"), Limit: c.QueryInt("limit", 100)}
	lines, next, err := a.Courses.Lines(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lines": lines, "next": next})
}

// apiInspectReview validates or rejects lines in bulk.
func (a *App) apiInspectReview(c *fiber.Ctx) error {
	var in struct {
		Lines  []string `json:"lines"`
		Action string   `json:"action"`
		Reason string   `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	rep, err := a.Courses.Review(c.UserContext(), currentUser(c), in.Lines, in.Action, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// apiInspectExport returns the validated lines as the payment CSV and marks them exported.
func (a *App) apiInspectExport(c *fiber.Ctx) error {
	var in struct {
		SchoolYear string `json:"schoolYear"`
		Again      bool   `json:"again"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.SchoolYear != "" && !schoolYearRe.MatchString(in.SchoolYear) {
		return errkind.Invalid("schoolYear", "bad_school_year")
	}
	lines, err := a.Courses.ExportLines(c.UserContext(), currentUser(c), in.SchoolYear, in.Again)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := courses.WriteCSV(&buf, lines); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}
