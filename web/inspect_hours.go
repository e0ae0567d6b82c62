package web

import (
	"bytes"
	"net/url"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
	"ardoise/internal/errkind"
)

var schoolYearRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{4}$`)

// hoursView is an inspector's page of ledger lines.
type hoursView struct {
	Filter  courses.LineFilter
	Lines   []courses.Line
	Next    string
	Report  *courses.ReviewReport
	Years   []string
	States  []string
	Columns []string
}

func (a *App) inspectHours(c *fiber.Ctx) error {
	return a.renderHours(c, fiber.StatusOK, nil, nil)
}

func (a *App) renderHours(c *fiber.Ctx, status int, rep *courses.ReviewReport, errs map[string]string) error {
	f := courses.LineFilter{SchoolYear: c.Query("annee"), State: c.Query("etat"), Slug: c.Query("module"), After: c.Query("apres"), Limit: 50}
	lines, next, err := a.Courses.Lines(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	v := hoursView{Filter: f, Lines: lines, Report: rep, Columns: courses.CSVColumns,
		States: []string{courses.StateCredited, courses.StateToReview, courses.StateValidated, courses.StateRejected, courses.StateExported}}
	if next != "" {
		q := url.Values{"annee": {f.SchoolYear}, "etat": {f.State}, "module": {f.Slug}, "apres": {next}}
		v.Next = "/inspection/heures?" + q.Encode()
	}
	year := courses.SchoolYear(time.Now())
	prev := courses.SchoolYear(time.Now().AddDate(-1, 0, 0))
	v.Years = []string{year, prev}
	return a.render(c, status, "inspect_hours", page{Title: "hours.title", Data: v, Errors: errs})
}

// inspectReview validates or rejects the checked lines, with a reason.
func (a *App) inspectReview(c *fiber.Ctx) error {
	var ids []string
	for _, v := range c.Request().PostArgs().PeekMulti("ligne") {
		ids = append(ids, string(v))
	}
	rep, err := a.Courses.Review(c.UserContext(), currentUser(c), ids, c.FormValue("action"), c.FormValue("motif"))
	if v, ok := asValidation(err); ok {
		return a.renderHours(c, fiber.StatusUnprocessableEntity, nil, a.formErrors(c, v))
	}
	if err != nil {
		return err
	}
	return a.renderHours(c, fiber.StatusOK, rep, nil)
}

// inspectExport sends the validated lines as CSV for payment and marks
// them exported.
func (a *App) inspectExport(c *fiber.Ctx) error {
	year := c.FormValue("annee")
	if year != "" && !schoolYearRe.MatchString(year) {
		return errkind.Invalid("annee", "bad_school_year")
	}
	lines, err := a.Courses.ExportLines(c.UserContext(), currentUser(c), year, c.FormValue("deja") == "1")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := courses.WriteCSV(&buf, lines); err != nil {
		return err
	}
	name := "heures"
	if year != "" {
		name += "-" + year
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}
