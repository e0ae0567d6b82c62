package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/adaptor/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"
)

// parseBefore reads the ?avant= cursor of newest-first lists.
func parseBefore(c *fiber.Ctx) time.Time {
	t, err := time.Parse(time.RFC3339Nano, c.Query("avant"))
	if err != nil {
		return time.Time{}
	}
	return t
}

func (a *App) adminAudit(c *fiber.Ctx) error {
	entries, err := a.Profile.Audit(c.UserContext(), "", parseBefore(c), 100)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_audit", page{Title: "admin.audit.title", Data: entries})
}

func (a *App) adminMails(c *fiber.Ctx) error {
	mails, err := a.Mailer.Recent(c.UserContext(), parseBefore(c), 50)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_mails", page{Title: "admin.mails.title", Data: mails})
}

// queuesPolicy is asynqmon's own Content-Security-Policy: its bundled UI
// needs inline scripts and styles, which no other page is allowed.
const queuesPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; " +
	"img-src 'self' data:; font-src 'self' data: https://fonts.gstatic.com; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// newQueuesUI builds the one asynqmon handler of the app. It opens its own
// Redis connection, which App.Shutdown closes.
func newQueuesUI(opt asynq.RedisConnOpt) *asynqmon.HTTPHandler {
	return asynqmon.New(asynqmon.Options{RootPath: "/admin/queues", RedisConnOpt: opt})
}

// adminQueues serves asynqmon. Its UI calls its JSON API without our CSRF
// token, so state changes are accepted only from this origin (Origin or
// Sec-Fetch-Site), on top of the SameSite session cookie and the admin check.
func (a *App) adminQueues() fiber.Handler {
	h := adaptor.HTTPHandler(a.queuesUI)
	return func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", queuesPolicy)
		if c.Method() != http.MethodGet && c.Method() != http.MethodHead && !a.sameOrigin(c) {
			return errCSRF
		}
		return h(c)
	}
}

func (a *App) sameOrigin(c *fiber.Ctx) bool {
	if site := c.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	origin := c.Get(fiber.HeaderOrigin)
	return origin != "" && (origin == strings.TrimRight(a.BaseURL, "/") || origin == c.Protocol()+"://"+c.Hostname())
}
