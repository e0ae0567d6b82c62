package web

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
	"ardoise/internal/clock"
	"ardoise/internal/errkind"
)

// supervisionCookie holds the invigilator's supervision token on the
// /surveillance pages: HttpOnly, SameSite=Strict, for that path only, and
// worth nothing after the session's day or a new password.
const supervisionCookie = "ardoise_supervision"

// supervisionForm is GET /surveillance: the session number and the
// invigilator password. A valid cookie goes straight to the board.
func (a *App) supervisionForm(c *fiber.Ctx) error {
	if tok := c.Cookies(supervisionCookie); tok != "" {
		if _, err := a.Certification.SupervisionSession(c.UserContext(), tok); err == nil {
			return c.Redirect("/surveillance/session", fiber.StatusSeeOther)
		}
	}
	return a.renderSupervisionForm(c, fiber.StatusOK, "", nil)
}

func (a *App) renderSupervisionForm(c *fiber.Ctx, status int, number string, errs map[string]string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "surveillance_login", page{Title: "surveillance.title",
		Form: map[string]string{"session": number}, Errors: errs})
}

// supervisionLogin is POST /surveillance: it opens the supervision and
// keeps its token in a cookie until the end of the session's day.
func (a *App) supervisionLogin(c *fiber.Ctx) error {
	number := strings.TrimSpace(c.FormValue("session"))
	if len(number) > 12 {
		number = number[:12]
	}
	n, err := strconv.Atoi(number)
	if err != nil || n <= 0 {
		return a.renderSupervisionForm(c, fiber.StatusBadRequest, number,
			map[string]string{"session": a.catalog.T(lang(c), "surveillance.bad_number")})
	}
	token, err := a.Certification.Supervise(c.UserContext(), n, c.FormValue("password"))
	if msg, ok := a.refusalText(c, err); ok {
		status, _ := classify(err)
		return a.renderSupervisionForm(c, status, number, map[string]string{"password": msg})
	}
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: supervisionCookie, Value: token, Path: "/surveillance", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: a.secure, Expires: time.Now().Add(24 * time.Hour)})
	return c.Redirect("/surveillance/session", fiber.StatusSeeOther)
}

// refusalText is the French (or English) sentence of a refusal a person
// can act on, and false for other errors (which go to the error page).
func (a *App) refusalText(c *fiber.Ctx, err error) (string, bool) {
	if err == nil {
		return "", false
	}
	l := lang(c)
	var (
		rl  *errkind.RateLimitedError
		ref *errkind.RefusedError
		den *errkind.DeniedError
	)
	switch {
	case errors.As(err, &rl):
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds()+0.999)))
		return a.catalog.T(l, "error.rate_limited_wait", "minutes", int(rl.RetryAfter.Minutes())+1), true
	case errors.As(err, &ref) && a.catalog.Has("error."+ref.Code):
		return a.catalog.T(l, "error."+ref.Code), true
	case errors.As(err, &den) && a.catalog.Has("error."+den.Code):
		return a.catalog.T(l, "error."+den.Code), true
	}
	if v, ok := asValidation(err); ok && len(v.Fields) > 0 {
		return a.catalog.T(l, "field."+v.Fields[0].Code), true
	}
	return "", false
}

// boardView is the invigilator's page.
type boardView struct {
	Board *certification.Board
	// Updated is when the list was read, shown in the live region.
	Updated string
}

// supervisionBoard is GET /surveillance/session: the live list of
// candidates. It costs one store read (plus the signed-in visitor's, if
// any) and one Redis read, whatever the number of candidates.
func (a *App) supervisionBoard(c *fiber.Ctx) error {
	return a.renderBoard(c, fiber.StatusOK, nil)
}

func (a *App) renderBoard(c *fiber.Ctx, status int, errs map[string]string) error {
	b, err := a.Certification.Board(c.UserContext(), c.Cookies(supervisionCookie))
	if isUnauthenticated(err) {
		a.clearSupervision(c)
		return c.Redirect("/surveillance", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "surveillance_board", page{Title: "surveillance.board.title", Errors: errs,
		Data: boardView{Board: b, Updated: time.Now().In(clock.Paris()).Format("15:04:05")}})
}

func (a *App) clearSupervision(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: supervisionCookie, Value: "", Path: "/surveillance", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: a.secure, Expires: time.Unix(0, 0), MaxAge: -1})
}

// supervisionAction runs one of the invigilator's actions, then shows the
// board again: after a redirect when it worked, with the reason when it
// was refused.
func (a *App) supervisionAction(act func(c *fiber.Ctx, token string) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := c.Cookies(supervisionCookie)
		err := act(c, token)
		if isUnauthenticated(err) {
			a.clearSupervision(c)
			return c.Redirect("/surveillance", fiber.StatusSeeOther)
		}
		if msg, ok := a.refusalText(c, err); ok {
			status, _ := classify(err)
			return a.renderBoard(c, status, map[string]string{"board": msg})
		}
		if err != nil {
			return err
		}
		return c.Redirect("/surveillance/session", fiber.StatusSeeOther)
	}
}

// supervisionOpen is POST /surveillance/ouvrir.
func (a *App) supervisionOpen(c *fiber.Ctx, token string) error {
	_, err := a.Certification.Open(c.UserContext(), token)
	return err
}

// supervisionConfirm is POST /surveillance/candidats/{id}/presence.
func (a *App) supervisionConfirm(c *fiber.Ctx, token string) error {
	_, err := a.Certification.Confirm(c.UserContext(), token, c.Params("id"))
	return err
}

// supervisionEnd is POST /surveillance/candidats/{id}/fin (motif).
func (a *App) supervisionEnd(c *fiber.Ctx, token string) error {
	_, err := a.Certification.End(c.UserContext(), token, c.Params("id"), c.FormValue("motif"))
	return err
}

// supervisionDecide is POST /surveillance/alertes/{id} (decision).
func (a *App) supervisionDecide(c *fiber.Ctx, token string) error {
	_, err := a.Certification.Decide(c.UserContext(), token, c.Params("id"), c.FormValue("decision"))
	return err
}

// supervisionQuit is POST /surveillance/quitter: it forgets the token.
func (a *App) supervisionQuit(c *fiber.Ctx) error {
	a.clearSupervision(c)
	return c.Redirect("/surveillance", fiber.StatusSeeOther)
}
