package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
)

// The candidate's certification pages. They need JavaScript (a
// <noscript> says so and nothing starts without it): the test page keeps
// its device token in the tab's sessionStorage and sends it with every
// call, so that another tab or device is refused.

// certificationCheckInForm is GET /certification.
func (a *App) certificationCheckInForm(c *fiber.Ctx) error {
	return a.renderCheckIn(c, fiber.StatusOK, nil)
}

func (a *App) renderCheckIn(c *fiber.Ctx, status int, errs map[string]string) error {
	form := map[string]string{}
	for _, k := range []string{"session", "nom", "prenom", "naissance"} {
		form[k] = clipCode(c.FormValue(k))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "certification_checkin", page{Title: "certification.checkin.title", Form: form, Errors: errs})
}

// certificationCheckIn is POST /certification: it matches the person to a
// session's list and sends them to their waiting page.
func (a *App) certificationCheckIn(c *fiber.Ctx) error {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("session")))
	if err != nil || n <= 0 {
		return a.renderCheckIn(c, fiber.StatusBadRequest, map[string]string{"session": a.catalog.T(lang(c), "surveillance.bad_number")})
	}
	handle, _, err := a.Certification.CheckIn(c.UserContext(), currentUser(c), certification.CheckInInput{Session: n,
		LastName: c.FormValue("nom"), FirstName: c.FormValue("prenom"), BirthDate: c.FormValue("naissance")})
	if v, ok := asValidation(err); ok {
		errs := map[string]string{}
		names := map[string]string{"session": "session", "lastName": "nom", "firstName": "prenom", "birthDate": "naissance"}
		for _, f := range v.Fields {
			errs[names[f.Field]] = a.catalog.T(lang(c), "field."+f.Code)
		}
		return a.renderCheckIn(c, fiber.StatusBadRequest, errs)
	}
	if msg, ok := a.refusalText(c, err); ok {
		status, _ := classify(err)
		return a.renderCheckIn(c, status, map[string]string{"session": msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/certification/candidat/"+handle, fiber.StatusSeeOther)
}

// candidateView is the waiting page's data.
type candidateView struct {
	Handle    string
	Candidate *certification.Candidate
}

// certificationCandidate is GET /certification/candidat/{handle}: what the
// candidate does next, by state (wait, type the access code, done).
func (a *App) certificationCandidate(c *fiber.Ctx) error {
	return a.renderCandidate(c, fiber.StatusOK, nil)
}

func (a *App) renderCandidate(c *fiber.Ctx, status int, errs map[string]string) error {
	handle := c.Params("handle")
	cand, err := a.Certification.Candidate(c.UserContext(), currentUser(c), handle)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "certification_candidate", page{Title: "certification.candidate.title", Errors: errs,
		Data: candidateView{Handle: handle, Candidate: cand}})
}

// testView is the test page's data: the device token is there only on
// the page that starts or resumes the test, which the script moves into
// the tab's sessionStorage at once.
type testView struct {
	TestID string
	Handle string
	Device string
}

// certificationStart is POST /certification/candidat/{handle}/code: the
// access code starts (or resumes on this device) the test.
func (a *App) certificationStart(c *fiber.Ctx) error {
	handle := c.Params("handle")
	st, err := a.Certification.Start(c.UserContext(), currentUser(c), handle, clipCode(c.FormValue("code")))
	if msg, ok := a.refusalText(c, err); ok {
		status, _ := classify(err)
		return a.renderCandidate(c, status, map[string]string{"code": msg})
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, "certification_test", page{Title: "certification.test.title",
		Data: testView{TestID: st.Test.ID, Handle: handle, Device: st.Device}})
}

// certificationTest is GET /certification/test/{id}: the test page, whose
// script loads the question with the tab's device token.
func (a *App) certificationTest(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, fiber.StatusOK, "certification_test", page{Title: "certification.test.title",
		Data: testView{TestID: c.Params("id"), Handle: c.Query("candidat")}})
}
