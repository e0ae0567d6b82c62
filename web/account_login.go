package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

func (a *App) loginForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(localTarget(c.Query("suite"), "/profil"), fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, "login", page{Title: "login.title", Form: map[string]string{"suite": c.Query("suite")}})
}

func (a *App) login(c *fiber.Ctx) error {
	f := formValues(c, "email", "suite")
	u, err := a.Profile.Authenticate(c.UserContext(), f["email"], c.FormValue("password"), c.IP())
	var rl *errkind.RateLimitedError
	switch {
	case errors.As(err, &rl):
		return err
	case errors.Is(err, profile.ErrBadCredentials):
		return a.render(c, fiber.StatusUnauthorized, "login", page{Title: "login.title", Form: f,
			Errors: map[string]string{"password": a.catalog.T(lang(c), "login.bad_credentials")}})
	case errors.Is(err, profile.ErrSuspended):
		return a.render(c, fiber.StatusForbidden, "login", page{Title: "login.title", Form: f,
			Errors: map[string]string{"email": a.catalog.T(lang(c), "login.suspended")}})
	case err != nil:
		return err
	}
	a.startSession(c, u)
	a.claimTests(c, u.ID)
	return c.Redirect(localTarget(f["suite"], "/profil"), fiber.StatusSeeOther)
}

// logout ends this session only: its id stays revoked on the server, so a
// copy of the cookie no longer signs anyone in.
func (a *App) logout(c *fiber.Ctx) error {
	if cookie := c.Cookies(sessionCookie); cookie != "" {
		if err := a.Profile.EndSession(c.UserContext(), cookie); err != nil {
			return err
		}
	}
	a.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (a *App) logoutEverywhere(c *fiber.Ctx) error {
	if err := a.Profile.LogoutEverywhere(c.UserContext(), currentUser(c)); err != nil {
		return err
	}
	a.clearCookie(c, sessionCookie)
	return c.Redirect("/connexion", fiber.StatusSeeOther)
}
