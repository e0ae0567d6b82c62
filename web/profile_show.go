package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/certificates"
	"ardoise/courses"
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
	// Training: enrolments, modules recommended for the weakest
	// competences of the latest result, hours by school year, attestations.
	Enrolments      []courses.Enrolment
	Recommendations []courses.Recommendation
	Hours           []courses.YearHours
	Certificates    []certificates.Certificate
	// VerifyBase is the public verification's address, before a code:
	// the link a holder copies to share a certificate.
	VerifyBase string
	// Digest is how community notifications are emailed.
	Digest string
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
	if err := a.profileTraining(c, u, tests, &v); err != nil {
		return err
	}
	for _, n := range []string{"bienvenue", "verification", "motdepasse", "modifie", "jeton", "courriels"} {
		if c.Query(n) != "" {
			v.Notice = "profile.notice." + n
		}
	}
	return a.render(c, fiber.StatusOK, "profile", page{Title: "profile.title", Data: v})
}

// profileTraining fills the training part of the profile.
func (a *App) profileTraining(c *fiber.Ctx, u *profile.User, tests []assessments.Test, v *profileView) error {
	ctx := c.UserContext()
	var err error
	if v.Enrolments, err = a.Courses.Enrolments(ctx, u.ID); err != nil {
		return err
	}
	if v.Hours, err = a.Courses.HoursOf(ctx, u.ID); err != nil {
		return err
	}
	if v.Certificates, err = a.Certificates.ForHolder(ctx, u.ID); err != nil {
		return err
	}
	v.VerifyBase = a.Certificates.VerifyURL("")
	if v.Recommendations, err = a.recommendFor(c, u, tests, v.Enrolments); err != nil {
		return err
	}
	m, err := a.Community.Member(ctx, u.ID)
	if err != nil {
		return err
	}
	v.Digest = m.Digest
	return nil
}

// recommendFor recommends modules for the weakest competences of the
// newest finished test that measured competences, leaving out modules the
// person already follows.
func (a *App) recommendFor(c *fiber.Ctx, u *profile.User, tests []assessments.Test, enrolled []courses.Enrolment) ([]courses.Recommendation, error) {
	for _, t := range tests {
		if t.Result == nil || len(t.Result.Competences) == 0 {
			continue
		}
		return a.Courses.RecommendUnfollowed(c.UserContext(), t.Result.Levels(), audienceOf(u), 6, enrolled)
	}
	return nil, nil
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
