package web

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
)

// dataExport sends everything stored about the person as a JSON file.
func (a *App) dataExport(c *fiber.Ctx) error {
	u := currentUser(c)
	exp, err := a.Profile.ExportData(c.UserContext(), u)
	if err != nil {
		return err
	}
	tests, err := a.Assessments.ExportFor(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	exp.Sections["positioningTests"] = tests
	if exp.Sections["training"], err = a.Courses.ExportFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if exp.Sections["attestations"], err = a.Certificates.ExportFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if exp.Sections["community"], err = a.Community.ExportFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if exp.Sections["campaigns"], err = a.Campaigns.ExportFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(exp, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ardoise-mes-donnees.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(raw)
}

func (a *App) deleteForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "delete", page{Title: "delete.title"})
}

func (a *App) deleteAccount(c *fiber.Ctx) error {
	u := currentUser(c)
	err := a.Profile.DeleteAccount(c.UserContext(), u, c.FormValue("password"))
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "delete", page{Title: "delete.title", Errors: a.formErrors(c, v)})
	}
	if err != nil {
		return err
	}
	if err := a.Assessments.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := a.Courses.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := a.Certificates.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := a.Community.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := a.Campaigns.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	if err := a.Territories.DeleteFor(c.UserContext(), u.ID); err != nil {
		return err
	}
	a.clearCookie(c, sessionCookie)
	c.Locals(localUser, nil)
	return a.render(c, fiber.StatusOK, "message", page{Title: "delete.title", Data: "delete.done"})
}
