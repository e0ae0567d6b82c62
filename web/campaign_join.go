package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Joining a campaign is limited per account (counted in Redis, so across
// processes): a person types a code a few times at most, while guessing
// codes would take billions of tries. The limit makes such guessing from
// one account hopeless and keeps the cost of a join (a test started) bounded.
const (
	joinLimit  = 20
	joinWindow = 10 * time.Minute
	// maxCodeInput bounds the code kept for re-display and for the
	// sign-in link: a code is 8 characters, with spaces or dashes at most
	// a few more.
	maxCodeInput = 32
)

// joinView is what the join page shows besides the form.
type joinView struct {
	// LoginURL signs a visitor in and brings them back to this page with
	// the code they came with.
	LoginURL string
}

// campaignJoinForm is GET /campagne: the form to type a campaign's code,
// prefilled from ?code= (the link an organiser shares).
func (a *App) campaignJoinForm(c *fiber.Ctx) error {
	return a.renderJoin(c, fiber.StatusOK, clipCode(c.Query("code")), nil)
}

// campaignJoin is POST /campagne: it joins the campaign of the code and
// sends the person to the campaign's test. Every refusal shows the form
// again with the reason next to the field.
func (a *App) campaignJoin(c *fiber.Ctx) error {
	code := clipCode(c.FormValue("code"))
	u := currentUser(c)
	if u == nil {
		return a.renderJoin(c, fiber.StatusUnauthorized, code, nil)
	}
	if err := a.limitJoin(c, u); err != nil {
		return a.joinRefused(c, code, err)
	}
	_, t, err := a.Campaigns.Join(c.UserContext(), u, code)
	if err != nil {
		return a.joinRefused(c, code, err)
	}
	return c.Redirect("/positionnement/"+t.ID, fiber.StatusSeeOther)
}

// limitJoin refuses a join beyond the account's rate.
func (a *App) limitJoin(c *fiber.Ctx, u *profile.User) error {
	return a.allowOrRefuse(c, "campaign-join:"+u.ID, joinLimit, joinWindow)
}

// joinRefused shows the form again for a refusal a person can act on (a
// wrong code, a campaign not open, the cool-down, the rate); other errors
// go to the error page.
func (a *App) joinRefused(c *fiber.Ctx, code string, err error) error {
	l := lang(c)
	var (
		soon *assessments.RetryTooSoonError
		rl   *errkind.RateLimitedError
		ref  *errkind.RefusedError
		den  *errkind.DeniedError
		msg  string
	)
	switch {
	case errors.As(err, &soon):
		msg = a.catalog.T(l, "campaign.join.retry_later", "date", dateIn(l, soon.Until))
	case errors.As(err, &rl):
		msg = a.catalog.T(l, "error.rate_limited_wait", "minutes", int(rl.RetryAfter.Minutes())+1)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds()+0.999)))
	case errors.As(err, &ref) && a.catalog.Has("error."+ref.Code):
		msg = a.catalog.T(l, "error."+ref.Code)
	case errors.As(err, &den) && a.catalog.Has("error."+den.Code):
		msg = a.catalog.T(l, "error."+den.Code)
	default:
		return err
	}
	status, _ := classify(err)
	return a.renderJoin(c, status, code, map[string]string{"code": msg})
}

func (a *App) renderJoin(c *fiber.Ctx, status int, code string, errs map[string]string) error {
	back := "/campagne"
	if code != "" {
		back += "?code=" + url.QueryEscape(code)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "campaign_join", page{Title: "campaign.join.title", Form: map[string]string{"code": code},
		Errors: errs, Data: joinView{LoginURL: "/connexion?suite=" + url.QueryEscape(back)}})
}

// clipCode bounds what a visitor typed or linked: it is only shown back
// and joined on, never trusted.
func clipCode(s string) string {
	if len(s) > maxCodeInput {
		s = strings.ToValidUTF8(s[:maxCodeInput], "")
	}
	return s
}
