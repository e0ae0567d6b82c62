package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// deskView is a référent's desk: their centres, their sessions and the
// form to create one. None is an account that is a référent of no centre.
type deskView struct {
	None     bool
	Admin    bool
	Centres  []certification.Centre
	Sessions []deskSession
}

// deskSession is one session of the desk, with its centre's name and its
// date as people read it.
type deskSession struct {
	Session    certification.Session
	CentreName string
	Day        string
}

// frenchDay writes a YYYY-MM-DD date as DD/MM/YYYY (as is when it is not one).
func frenchDay(lang, iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil || lang == "en" {
		return iso
	}
	return d.Format("02/01/2006")
}

// certificationDesk is GET /certification/centre.
func (a *App) certificationDesk(c *fiber.Ctx) error {
	form := map[string]string{"date": time.Now().In(clock.Paris()).Format(time.DateOnly)}
	return a.renderDesk(c, fiber.StatusOK, form, nil)
}

// renderDesk writes the desk, or the 403 page that explains who référents
// are to an account that is a référent of no centre.
func (a *App) renderDesk(c *fiber.Ctx, status int, form, errs map[string]string) error {
	u := currentUser(c)
	d, err := a.Certification.Desk(c.UserContext(), u)
	if err != nil {
		return err
	}
	if len(d.Centres) == 0 {
		return a.renderNoDesk(c)
	}
	v := deskView{Centres: d.Centres}
	names := map[string]string{}
	for _, ce := range d.Centres {
		names[ce.ID] = ce.Name
	}
	for _, x := range d.Sessions {
		v.Sessions = append(v.Sessions, deskSession{Session: x, CentreName: names[x.CentreID], Day: frenchDay(lang(c), x.Date)})
	}
	if form["centre"] == "" {
		form["centre"] = d.Centres[0].ID
	}
	return a.render(c, status, "certification_desk", page{Title: "certification.desk.title", Data: v, Form: form, Errors: errs})
}

// renderNoDesk is the 403 page of an account that is a référent of no
// centre: what a référent is, and who names them.
func (a *App) renderNoDesk(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusForbidden, "certification_desk", page{Title: "certification.desk.none_title",
		Data: deskView{None: true, Admin: currentUser(c).Has(profile.RoleAdmin)}})
}

// certificationSessionCreate is POST /certification/centre/sessions: the
// form's session, then its page.
func (a *App) certificationSessionCreate(c *fiber.Ctx) error {
	form := formValues(c, "centre", "date", "time", "place", "room", "invigilator")
	in := certification.SessionInput{Centre: form["centre"], Kind: certification.KindCRCN, Date: form["date"],
		Time: form["time"], Place: form["place"], Room: form["room"], Invigilator: form["invigilator"]}
	d, err := a.Certification.Desk(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	if len(d.Centres) == 0 {
		return a.renderNoDesk(c)
	}
	if strings.TrimSpace(in.Centre) == "" {
		err = errkind.Invalid("centre", "required")
	} else {
		var x *certification.Session
		if x, err = a.Certification.CreateSession(c.UserContext(), currentUser(c), in); err == nil {
			return c.Redirect("/certification/centre/sessions/"+x.ID, fiber.StatusSeeOther)
		}
	}
	if ve, ok := asValidation(err); ok {
		return a.renderDesk(c, fiber.StatusUnprocessableEntity, form, a.formErrors(c, ve))
	}
	return err
}
