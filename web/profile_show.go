package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/internal/i18n"
	"ardoise/profile"
)

func (a *App) home(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "home", page{Title: "home.title"})
}

// profileView is what the profile page shows.
type profileView struct {
	Tokens   []profile.APIToken
	NewToken string
	Notice   string
	// Latest is the newest finished test per framework; History all of them.
	Latest  []historyRow
	History []historyRow
}

// historyRow is one finished test in the profile.
type historyRow struct {
	ID, Framework, Competence, When string
	Score                           int
}

func (a *App) profileShow(c *fiber.Ctx) error {
	return a.renderProfile(c, "")
}

func (a *App) renderProfile(c *fiber.Ctx, newToken string) error {
	u := currentUser(c)
	tokens, err := a.Profile.Tokens(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	tests, err := a.Assessments.History(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	v := profileView{Tokens: tokens, NewToken: newToken}
	seen := map[string]bool{}
	for _, t := range tests {
		row := historyRow{ID: t.ID, Framework: t.Scope.Framework, Competence: t.Scope.Competence,
			When: dateIn(lang(c), t.FinishedAt), Score: t.Result.Score}
		if f, ok := a.Assessments.Bank().Framework(t.Scope.Framework); ok {
			row.Framework = f.Title
		}
		v.History = append(v.History, row)
		if key := t.Scope.Framework; t.Scope.Competence == "" && !seen[key] {
			seen[key] = true
			v.Latest = append(v.Latest, row)
		}
	}
	for _, n := range []string{"bienvenue", "verification", "motdepasse", "modifie", "jeton"} {
		if c.Query(n) != "" {
			v.Notice = "profile.notice." + n
		}
	}
	return a.render(c, fiber.StatusOK, "profile", page{Title: "profile.title", Data: v})
}

// setLanguage records the chosen language in a cookie and, when signed in, in the profile.
func (a *App) setLanguage(c *fiber.Ctx) error {
	l := i18n.Supported(c.FormValue("lang"))
	a.setCookie(c, langCookie, l, timeInAYear())
	if u := currentUser(c); u != nil {
		if err := a.Profile.SetLocale(c.UserContext(), u, l); err != nil {
			return err
		}
	}
	return c.Redirect(localTarget(c.FormValue("suite"), "/"), fiber.StatusSeeOther)
}
