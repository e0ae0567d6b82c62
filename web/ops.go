package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/adaptor/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process runs.
func (a *App) healthz(c *fiber.Ctx) error {
	return c.SendString("ok")
}

// readyz answers 200 when the store and the queue both answer.
func (a *App) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	errs := map[string]error{"store": a.DB.Ping(ctx), "queue": a.Redis.Ping(ctx).Err()}
	var failed []string
	for name, err := range errs {
		if err != nil {
			failed = append(failed, name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		return c.Status(http.StatusServiceUnavailable).SendString("not ready: " + strings.Join(failed, "; "))
	}
	return c.SendString("ready")
}

func (a *App) metrics(c *fiber.Ctx) error {
	return adaptor.HTTPHandler(promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{}))(c)
}

// static serves embedded assets under their content-hashed names, cached for a year.
func (a *App) static(c *fiber.Ctx) error {
	f, ok := a.assets.files[c.Params("file")]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.contentType)
	return c.Send(f.body)
}
