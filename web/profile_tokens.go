package web

import (
	"github.com/gofiber/fiber/v2"
)

func (a *App) tokenCreate(c *fiber.Ctx) error {
	label := c.FormValue("label")
	if len([]rune(label)) > 60 {
		label = string([]rune(label)[:60])
	}
	if label == "" {
		label = a.catalog.T(lang(c), "profile.tokens.default_label")
	}
	token, _, err := a.Profile.CreateToken(c.UserContext(), currentUser(c), label)
	if err != nil {
		return err
	}
	// The token is shown once, on this response, and never again.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.renderProfile(c, token)
}

func (a *App) tokenRevoke(c *fiber.Ctx) error {
	if err := a.Profile.RevokeToken(c.UserContext(), currentUser(c).ID, c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/profil?jeton=1", fiber.StatusSeeOther)
}
