package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
)

// adminJuryQueue is GET /admin/jury: the sessions in review.
func (a *App) adminJuryQueue(c *fiber.Ctx) error {
	list, err := a.Certification.JuryQueue(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_jury", page{Title: "certification.jury.queue_title", Data: list})
}

// juryPageView is a session as its jury reads it.
type juryPageView struct {
	*certification.JuryView
	Day, CentreName string
	// Decided, Published and Revoked say what the last form did.
	Decided, Published, Revoked bool
}

// adminJurySession is GET /admin/jury/{id}.
func (a *App) adminJurySession(c *fiber.Ctx) error {
	return a.renderJury(c, fiber.StatusOK, map[string]string{}, nil)
}

func (a *App) renderJury(c *fiber.Ctx, status int, form, errs map[string]string) error {
	ctx := c.UserContext()
	v, err := a.Certification.JuryView(ctx, currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	centre, err := a.Certification.Centre(ctx, v.Session.CentreID)
	if err != nil {
		return err
	}
	pv := juryPageView{JuryView: v, Day: frenchDay(lang(c), v.Session.Date), CentreName: centre.Name,
		Decided: c.Query("decide") == "1", Published: c.Query("publiee") == "1", Revoked: c.Query("revoque") == "1"}
	title := a.catalog.T(lang(c), "certification.jury.title", "number", v.Session.Number)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "admin_jury_session", page{Title: title, Data: pv, Form: form, Errors: errs})
}

// adminJuryDecide is POST /admin/jury/{id}/tests/{test}: the jury's
// decision on one certification, with its comment.
func (a *App) adminJuryDecide(c *fiber.Ctx) error {
	test := c.Params("test")
	form := formValues(c, "decision", "comment")
	_, err := a.Certification.JuryDecide(c.UserContext(), currentUser(c), test, form["decision"], form["comment"])
	if err == nil {
		return c.Redirect(juryPath(c)+"?decide=1#line-"+url.PathEscape(test), fiber.StatusSeeOther)
	}
	return a.juryFormFailed(c, err, test, map[string]string{"decision." + test: form["decision"], "comment." + test: form["comment"]})
}

// adminJuryPublish is POST /admin/jury/{id}/publier.
func (a *App) adminJuryPublish(c *fiber.Ctx) error {
	if _, err := a.Certification.Publish(c.UserContext(), currentUser(c), c.Params("id")); err != nil {
		return a.juryFormFailed(c, err, "", map[string]string{})
	}
	return c.Redirect(juryPath(c)+"?publiee=1", fiber.StatusSeeOther)
}

// adminJuryRevoke is POST /admin/jury/{id}/tests/{test}/revoquer: the jury
// revokes a published certificate, with a reason kept in its history.
func (a *App) adminJuryRevoke(c *fiber.Ctx) error {
	test := c.Params("test")
	reason := c.FormValue("reason")
	if _, err := a.Certification.Revoke(c.UserContext(), currentUser(c), test, reason); err != nil {
		return a.juryFormFailed(c, err, test, map[string]string{"reason." + test: reason})
	}
	return c.Redirect(juryPath(c)+"?revoque=1#line-"+url.PathEscape(test), fiber.StatusSeeOther)
}

// juryPath is the jury page of the session in the request's path: the
// path parameter is data, escaped, never structure of the redirect.
func juryPath(c *fiber.Ctx) string { return "/admin/jury/" + url.PathEscape(c.Params("id")) }

// juryFormFailed shows the jury page again with the error of a form: a
// field's next to it (decision.<test>, comment.<test>, reason.<test>), a
// refusal at the top (publish, or line.<test>).
func (a *App) juryFormFailed(c *fiber.Ctx, err error, test string, form map[string]string) error {
	if v, ok := asValidation(err); ok {
		errs := map[string]string{}
		for _, f := range v.Fields {
			name := f.Field + "." + test
			if f.Field == "reason" || f.Field == "decision" || f.Field == "comment" {
				if _, dup := errs[name]; !dup {
					errs[name] = a.catalog.T(lang(c), "field."+f.Code)
				}
			}
		}
		return a.renderJury(c, fiber.StatusUnprocessableEntity, form, errs)
	}
	if msg, ok := a.refusalText(c, err); ok {
		key := "publish"
		if test != "" {
			key = "line." + test
		}
		return a.renderJury(c, fiber.StatusUnprocessableEntity, form, map[string]string{key: msg})
	}
	return err
}
