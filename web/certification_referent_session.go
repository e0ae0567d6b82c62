package web

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
	"ardoise/internal/errkind"
)

// referentSessionView is a session as its référent sees it: its codes,
// its candidates and the forms that fill the list.
type referentSessionView struct {
	Session    *certification.Session
	CentreName string
	Day        string
	// Referent is false for an admin who is not one of the centre's
	// référents: they read the page, the forms are not theirs.
	Referent bool
	// Lines are the errors of a candidates file, line by line.
	Lines []certification.LineError
	// Imported and Added say what the last form did.
	Imported int
	Added    bool
	// Finalized says the référent just finalized the session.
	Finalized bool
}

// CandidateName is the name of the session's candidate with this id, for
// the finalization's report.
func (v referentSessionView) CandidateName(id string) string {
	for _, c := range v.Session.Candidates {
		if c.ID == id {
			return c.LastName + " " + c.FirstName
		}
	}
	return ""
}

// certificationSessionPage is GET /certification/centre/sessions/{id}.
func (a *App) certificationSessionPage(c *fiber.Ctx) error {
	x, err := a.Certification.SessionFor(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return a.noDeskOr(c, err)
	}
	v := referentSessionView{Added: c.Query("ajoute") == "1", Finalized: c.Query("finalisee") == "1"}
	v.Imported, _ = strconv.Atoi(c.Query("importes"))
	return a.renderReferentSession(c, fiber.StatusOK, x, v, map[string]string{}, nil)
}

// noDeskOr turns the refusal of an account that is a référent of no
// centre into its explanation page, and returns any other error as is.
func (a *App) noDeskOr(c *fiber.Ctx, err error) error {
	if errors.Is(err, errkind.ErrForbidden) {
		if d, derr := a.Certification.Desk(c.UserContext(), currentUser(c)); derr == nil && len(d.Centres) == 0 {
			return a.renderNoDesk(c)
		}
	}
	return err
}

func (a *App) renderReferentSession(c *fiber.Ctx, status int, x *certification.Session, v referentSessionView, form, errs map[string]string) error {
	centre, err := a.Certification.Centre(c.UserContext(), x.CentreID)
	if err != nil {
		return err
	}
	v.Session, v.CentreName, v.Day = x, centre.Name, frenchDay(lang(c), x.Date)
	v.Referent = slices.Contains(centre.Referents, currentUser(c).ID)
	c.Set(fiber.HeaderCacheControl, "no-store") // the codes are secrets until the day
	title := a.catalog.T(lang(c), "certification.session.title", "number", x.Number)
	return a.render(c, status, "certification_session", page{Title: title, Data: v, Form: form, Errors: errs})
}

// certificationImport is POST /certification/centre/sessions/{id}/candidats:
// a CSV file (1 MB at most; its name is never used) replaces the list, or
// every line to fix is shown and nothing is saved.
func (a *App) certificationImport(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("id")
	x, err := a.Certification.SessionFor(ctx, u, id)
	if err != nil {
		return a.noDeskOr(c, err)
	}
	fail := func(msg string, lines []certification.LineError) error {
		return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{Lines: lines},
			map[string]string{}, map[string]string{"file": msg})
	}
	l := lang(c)
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return fail(a.catalog.T(l, "certification.session.file_required"), nil)
	}
	if fh.Size > certification.MaxCandidatesFile {
		return fail(a.catalog.T(l, "field.file_too_large"), nil)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	n, lines, err := a.Certification.ImportCandidates(ctx, u, id, f)
	if len(lines) > 0 {
		return fail(a.catalog.T(l, "error.candidates_file"), lines)
	}
	if msg, ok := a.refusalText(c, err); ok {
		return fail(msg, nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/certification/centre/sessions/"+id+"?importes="+strconv.Itoa(n), fiber.StatusSeeOther)
}

// certificationAddCandidate is POST /certification/centre/sessions/{id}/candidat:
// one candidate, checked as a line of the file.
func (a *App) certificationAddCandidate(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("id")
	x, err := a.Certification.SessionFor(ctx, u, id)
	if err != nil {
		return a.noDeskOr(c, err)
	}
	form := formValues(c, "lastName", "firstName", "birthDate", "email", "extraTime", "adjustment")
	in := certification.CandidateInput{LastName: form["lastName"], FirstName: form["firstName"], BirthDate: form["birthDate"],
		Email: form["email"], Adjustment: form["adjustment"] == "1"}
	if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(form["extraTime"]), "%")); s != "" {
		if in.ExtraTime, err = strconv.Atoi(s); err != nil {
			return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{}, form,
				a.formErrors(c, errkind.Invalid("extraTime", "bad_extra_time")))
		}
	}
	_, err = a.Certification.AddCandidate(ctx, u, id, in)
	if err == nil {
		return c.Redirect("/certification/centre/sessions/"+id+"?ajoute=1", fiber.StatusSeeOther)
	}
	if ve, ok := asValidation(err); ok {
		return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{}, form, a.formErrors(c, ve))
	}
	if msg, ok := a.refusalText(c, err); ok {
		return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{}, form,
			map[string]string{"candidate": msg})
	}
	return err
}
