package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"ardoise/profile"
)

func (a *App) verifyEmail(c *fiber.Ctx) error {
	_, err := a.Profile.VerifyEmail(c.UserContext(), c.Query("jeton"))
	if errors.Is(err, profile.ErrBadLink) {
		return a.render(c, fiber.StatusBadRequest, "message", page{Title: "verify.title", Data: "verify.bad_link"})
	}
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "message", page{Title: "verify.title", Data: "verify.done"})
}

func (a *App) resendVerification(c *fiber.Ctx) error {
	if err := a.Profile.ResendVerification(c.UserContext(), currentUser(c)); err != nil {
		return err
	}
	return c.Redirect("/profil?verification=1", fiber.StatusSeeOther)
}

func (a *App) forgotForm(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "forgot", page{Title: "forgot.title"})
}

func (a *App) forgot(c *fiber.Ctx) error {
	f := formValues(c, "email")
	err := a.Profile.RequestReset(c.UserContext(), f["email"])
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "forgot", page{Title: "forgot.title", Form: f, Errors: a.formErrors(c, v)})
	}
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "message", page{Title: "forgot.title", Data: "forgot.sent"})
}

func (a *App) resetForm(c *fiber.Ctx) error {
	token := c.Query("jeton")
	if err := a.Profile.CheckResetLink(token); err != nil {
		return a.render(c, fiber.StatusBadRequest, "message", page{Title: "reset.title", Data: "reset.bad_link"})
	}
	return a.render(c, fiber.StatusOK, "reset", page{Title: "reset.title", Form: map[string]string{"jeton": token}})
}

func (a *App) reset(c *fiber.Ctx) error {
	f := formValues(c, "jeton")
	u, err := a.Profile.ResetPassword(c.UserContext(), f["jeton"], c.FormValue("password"))
	if errors.Is(err, profile.ErrBadLink) {
		return a.render(c, fiber.StatusBadRequest, "message", page{Title: "reset.title", Data: "reset.bad_link"})
	}
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "reset", page{Title: "reset.title", Form: f, Errors: a.formErrors(c, v)})
	}
	if err != nil {
		return err
	}
	a.startSession(c, u)
	return c.Redirect("/profil?motdepasse=1", fiber.StatusSeeOther)
}
