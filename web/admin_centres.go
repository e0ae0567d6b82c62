package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
	"ardoise/profile"
)

// adminCentresView is the admins' list of certification centres and the
// form to create one.
type adminCentresView struct {
	Centres    []certification.Centre
	Academies  []profile.Academie
	CreatedNew bool
}

// adminCentres is GET /admin/centres.
func (a *App) adminCentres(c *fiber.Ctx) error {
	return a.renderAdminCentres(c, fiber.StatusOK, map[string]string{}, nil)
}

func (a *App) renderAdminCentres(c *fiber.Ctx, status int, form, errs map[string]string) error {
	list, err := a.Certification.Centres(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	v := adminCentresView{Centres: list, Academies: profile.Academies, CreatedNew: c.Query("cree") == "1"}
	return a.render(c, status, "admin_centres", page{Title: "admin.centres.title", Data: v, Form: form, Errors: errs})
}

// adminCentreCreate is POST /admin/centres: a name, an académie, an
// optional département and the référents' addresses, one a line.
func (a *App) adminCentreCreate(c *fiber.Ctx) error {
	form := formValues(c, "name", "territory.academie", "territory.departement", "referents")
	in := certification.CentreInput{Name: form["name"], Territory: profile.Territory{Academie: form["territory.academie"],
		Departement: form["territory.departement"]}, Referents: referentLines(form["referents"])}
	_, err := a.Certification.CreateCentre(c.UserContext(), currentUser(c), in)
	if err == nil {
		return c.Redirect("/admin/centres?cree=1", fiber.StatusSeeOther)
	}
	if ve, ok := asValidation(err); ok {
		return a.renderAdminCentres(c, fiber.StatusUnprocessableEntity, form, a.formErrors(c, ve))
	}
	return err
}

// referentLines splits a text area into its non-blank lines (commas and
// semicolons separate addresses too, as pasted from a spreadsheet).
func referentLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
