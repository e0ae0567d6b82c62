package web

import (
	"context"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/adaptor/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// healthz answers while the process runs.
func (a *App) healthz(c *fiber.Ctx) error {
	return c.SendString("ok")
}

// operator reports whether the caller may see how Ardoise runs: an admin,
// or a client in one of the configured operations networks.
func (a *App) operator(c *fiber.Ctx) bool {
	if currentUser(c).Has(profile.RoleAdmin) {
		return true
	}
	ip, err := netip.ParseAddr(c.IP())
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, n := range a.OpsNetworks {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// Pinger checks what the app depends on for /readyz.
type Pinger interface {
	// Ping returns, by name ("store", "queue"), the error of each
	// dependency, nil for one that answered.
	Ping(ctx context.Context) map[string]error
}

// readyz answers 200 when the store and the queue both answer. Only
// operators are told which failed and why: the errors name internal hosts.
func (a *App) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	var failed []string
	for name, err := range a.Ready.Ping(ctx) {
		if err != nil {
			failed = append(failed, name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		if !a.operator(c) {
			return c.Status(http.StatusServiceUnavailable).SendString("not ready")
		}
		sort.Strings(failed)
		return c.Status(http.StatusServiceUnavailable).SendString("not ready: " + strings.Join(failed, "; "))
	}
	return c.SendString("ready")
}

// metrics serves Prometheus metrics to operators; others get a 404, as
// for a page that does not exist.
func (a *App) metrics(c *fiber.Ctx) error {
	if !a.operator(c) {
		return errkind.ErrNotFound
	}
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
