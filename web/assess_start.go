package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/internal/clock"
	"ardoise/internal/keyring"
)

// testCookie ties an anonymous test to its browser.
const testCookie = "ardoise_test"

// owner is who the request acts for in assessments: the signed-in user, or
// the browser's anonymous test cookie (created when create is true).
func (a *App) owner(c *fiber.Ctx, create bool) assessments.Owner {
	if u := currentUser(c); u != nil {
		return assessments.Owner{UserID: u.ID}
	}
	v := c.Cookies(testCookie)
	if len(v) < 20 || len(v) > 64 {
		if !create {
			return assessments.Owner{}
		}
		v = keyring.RandomToken(24)
		a.setCookie(c, testCookie, v, time.Now().Add(assessments.AnonymousTTL))
	}
	return assessments.Owner{AnonKey: anonKey(v)}
}

func anonKey(cookie string) string {
	sum := sha256.Sum256([]byte("ardoise-test:" + cookie))
	return hex.EncodeToString(sum[:])
}

// claimTests gives a person who just signed in or registered the
// anonymous tests of this browser.
func (a *App) claimTests(c *fiber.Ctx, userID string) {
	v := c.Cookies(testCookie)
	if v == "" {
		return
	}
	if _, err := a.Assessments.Claim(c.UserContext(), anonKey(v), userID); err != nil {
		a.logger.Warn("claim anonymous tests", "err", err)
		return
	}
	a.clearCookie(c, testCookie)
}

func (a *App) assessHome(c *fiber.Ctx) error {
	return a.render(c, fiber.StatusOK, "assess_home", page{Title: "assess.home.title", Data: a.Assessments.Bank()})
}

func (a *App) assessStart(c *fiber.Ctx) error {
	scope := assessments.Scope{Framework: c.FormValue("framework"), Competence: c.FormValue("competence")}
	t, err := a.Assessments.Start(c.UserContext(), a.owner(c, true), scope, c.FormValue("accessible") == "1")
	var soon *assessments.RetryTooSoonError
	if errors.As(err, &soon) {
		return a.render(c, fiber.StatusConflict, "message_raw", page{Title: "assess.home.title",
			Data: a.catalog.T(lang(c), "assess.retry_later", "date", dateIn(lang(c), soon.Until))})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/positionnement/"+t.ID, fiber.StatusSeeOther)
}

func dateIn(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2006-01-02 15:04 MST")
	}
	return t.In(clock.Paris()).Format("02/01/2006 à 15:04")
}
