package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

var registerFields = append([]string{"email", "name", "displayName", "handle", "kind"}, territoryFields...)

func (a *App) registerForm(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/profil", fiber.StatusSeeOther)
	}
	return a.render(c, fiber.StatusOK, "register", page{Title: "register.title", Form: map[string]string{"kind": "teacher"}, Data: profile.Academies})
}

func (a *App) register(c *fiber.Ctx) error {
	f := formValues(c, registerFields...)
	u, err := a.Profile.RegisterFrom(c.UserContext(), profile.RegisterInput{
		Email: f["email"], Password: c.FormValue("password"), Name: f["name"], DisplayName: f["displayName"],
		Handle: f["handle"], Kind: f["kind"], Territory: territoryFrom(f), Locale: lang(c),
	}, c.IP())
	var rl *errkind.RateLimitedError
	if errors.As(err, &rl) {
		// The form again, with the wait in words, and Retry-After.
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds()+0.999)))
		msg := a.catalog.T(lang(c), "register.rate_limited", "minutes", int(rl.RetryAfter.Minutes())+1)
		return a.render(c, fiber.StatusTooManyRequests, "register", page{Title: "register.title", Form: f,
			Errors: map[string]string{"email": msg}, Data: profile.Academies})
	}
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "register", page{Title: "register.title", Form: f, Errors: a.formErrors(c, v), Data: profile.Academies})
	}
	if err != nil {
		return err
	}
	a.startSession(c, u)
	a.claimTests(c, u.ID)
	return c.Redirect("/profil?bienvenue=1", fiber.StatusSeeOther)
}

// startSession signs u in with a fresh session cookie.
func (a *App) startSession(c *fiber.Ctx, u *profile.User) {
	value, exp := a.Profile.NewSession(u)
	a.setCookie(c, sessionCookie, value, exp)
}
