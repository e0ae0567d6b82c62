package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/profile"
)

// adminUsersView is what the user administration page shows.
type adminUsersView struct {
	Search string
	Page   profile.UserPage
	Roles  []profile.Role
	Notice string
}

func (a *App) adminUsers(c *fiber.Ctx) error {
	return a.renderAdminUsers(c, fiber.StatusOK, nil, c.Query("fait"))
}

func (a *App) renderAdminUsers(c *fiber.Ctx, status int, errs map[string]string, notice string) error {
	search := c.Query("q")
	if len(search) > 100 {
		search = search[:100]
	}
	pg, err := a.Profile.ListUsers(c.UserContext(), search, c.Query("apres"), 50)
	if err != nil {
		return err
	}
	if notice != "" {
		notice = "admin.users.done"
	}
	return a.render(c, status, "admin_users", page{Title: "admin.users.title", Errors: errs,
		Data: adminUsersView{Search: search, Page: pg, Roles: profile.Roles, Notice: notice}})
}

func (a *App) adminSetRole(c *fiber.Ctx) error {
	role, _ := profile.ParseRole(c.FormValue("role"))
	_, err := a.Profile.SetRole(c.UserContext(), profile.ActorOf(currentUser(c)), c.Params("id"), role, c.FormValue("reason"))
	return a.afterAdminAction(c, err)
}

func (a *App) adminSuspend(c *fiber.Ctx) error {
	suspend := c.FormValue("action") == "suspend"
	_, err := a.Profile.SetSuspended(c.UserContext(), profile.ActorOf(currentUser(c)), c.Params("id"), suspend, c.FormValue("reason"))
	return a.afterAdminAction(c, err)
}

// adminSetScope sets the part of the school system an inspector oversees,
// with a required reason written to the audit log.
func (a *App) adminSetScope(c *fiber.Ctx) error {
	_, err := a.Profile.SetScope(c.UserContext(), profile.ActorOf(currentUser(c)), c.Params("id"), c.FormValue("scope"), c.FormValue("reason"))
	return a.afterAdminAction(c, err)
}

// afterAdminAction shows the list again with the error next to the row's
// fields, or redirects with a notice.
func (a *App) afterAdminAction(c *fiber.Ctx, err error) error {
	if v, ok := asValidation(err); ok {
		errs := a.formErrors(c, v)
		for k, msg := range errs {
			if strings.HasPrefix(k, "scope.") {
				errs["scope"] = msg // one message next to the one scope field
			}
		}
		errs["row"] = c.Params("id")
		return a.renderAdminUsers(c, fiber.StatusUnprocessableEntity, errs, "")
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/utilisateurs?fait=1", fiber.StatusSeeOther)
}
