package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/profile"
)

func timeInAYear() time.Time { return time.Now().AddDate(1, 0, 0) }

var profileFields = append([]string{"name", "displayName", "handle"}, territoryFields...)

// profileForm fills the profile form from the account.
func profileForm(u *profile.User) map[string]string {
	return map[string]string{
		"name": u.Name, "displayName": u.DisplayName, "handle": u.Handle,
		"territory.academie": u.Territory.Academie, "territory.departement": u.Territory.Departement,
		"territory.circonscription": u.Territory.Circonscription, "territory.uai": u.Territory.UAI,
	}
}

func (a *App) profileEditForm(c *fiber.Ctx) error {
	u := currentUser(c)
	f := profileForm(u)
	return a.render(c, fiber.StatusOK, "profile_edit", page{Title: "profile.edit.title", Form: f, Data: profile.Academies})
}

func (a *App) profileEdit(c *fiber.Ctx) error {
	f := formValues(c, profileFields...)
	u := currentUser(c)
	_, err := a.Profile.UpdateProfile(c.UserContext(), u, profile.ProfileInput{
		Name: f["name"], DisplayName: f["displayName"], Handle: f["handle"], Territory: territoryFrom(f), Locale: lang(c),
	})
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "profile_edit", page{Title: "profile.edit.title", Form: f, Errors: a.formErrors(c, v), Data: profile.Academies})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/profil?modifie=1", fiber.StatusSeeOther)
}

func (a *App) passwordChange(c *fiber.Ctx) error {
	u := currentUser(c)
	nu, err := a.Profile.ChangePassword(c.UserContext(), u, c.FormValue("current"), c.FormValue("password"))
	if v, ok := asValidation(err); ok {
		f := profileForm(u)
		return a.render(c, fiber.StatusUnprocessableEntity, "profile_edit", page{Title: "profile.edit.title", Form: f, Errors: a.formErrors(c, v), Data: profile.Academies})
	}
	if err != nil {
		return err
	}
	a.startSession(c, nu) // the epoch changed: other sessions end, this one goes on
	return c.Redirect("/profil?motdepasse=1", fiber.StatusSeeOther)
}
