// Package web is Ardoise's HTTP face: server-rendered French pages that work
// without JavaScript, and the JSON API under /api/v1. Domain packages never
// import Fiber; this package turns their results and errors into HTTP.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/certificates"
	"ardoise/certification"
	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/metrics"
	"ardoise/internal/ratelimit"
	"ardoise/profile"
)

// Deps are the services the web app serves.
type Deps struct {
	// Ready tells /readyz whether the store and the queue answer; the app
	// holds neither.
	Ready        Pinger
	AsynqOpt     asynq.RedisConnOpt
	Profile      *profile.Service
	Assessments  *assessments.Service
	Courses      *courses.Service
	Certificates *certificates.Service
	Community    *community.Service
	Campaigns    *campaigns.Service
	Territories  *campaigns.Territories
	// Certification runs certification centres and sessions.
	Certification *certification.Service
	Mailer        *mail.Mailer
	Keys          *keyring.Keyring
	Catalog       *i18n.Catalog
	Metrics       *metrics.Metrics
	Limiter       *ratelimit.Limiter
	Logger        *slog.Logger
	BaseURL       string
	// OpsNetworks may read /metrics, /readyz's detail and X-Store-Commands.
	OpsNetworks []netip.Prefix
}

// App is the HTTP application.
type App struct {
	Deps
	fiber   *fiber.App
	views   *views
	assets  *assets
	secure  bool
	catalog *i18n.Catalog
	logger  *slog.Logger
	// queuesUI is asynqmon under /admin/queues, built once; Shutdown closes it.
	queuesUI *asynqmon.HTTPHandler
}

// New builds the app; a broken template or asset fails here, at start-up.
func New(d Deps) (*App, error) {
	a := &App{Deps: d, catalog: d.Catalog, logger: d.Logger, secure: strings.HasPrefix(d.BaseURL, "https://")}
	var err error
	if a.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if a.views, err = parseViews(d.Catalog, a.assets); err != nil {
		return nil, err
	}
	a.fiber = fiber.New(fiber.Config{
		AppName:               "ardoise",
		DisableStartupMessage: true,
		Immutable:             true,            // handlers keep strings beyond the request
		BodyLimit:             UploadBodyLimit, // routes narrow it: see limitBody
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          a.handleError,
	})
	a.queuesUI = newQueuesUI(d.AsynqOpt)
	a.routes()
	return a, nil
}

// Body limits: DefaultBodyLimit for every route (413 beyond), except the
// few upload routes that allow UploadBodyLimit.
const (
	DefaultBodyLimit = 1 << 20
	UploadBodyLimit  = 20 << 20
)

// Fiber exposes the underlying Fiber app (tests use its Test method).
func (a *App) Fiber() *fiber.App { return a.fiber }

// Serve accepts connections on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections and waits for requests in flight, at
// most until ctx ends, then closes asynqmon's Redis connection.
func (a *App) Shutdown(ctx context.Context) error {
	err := a.fiber.ShutdownWithContext(ctx)
	return errors.Join(err, a.queuesUI.Close())
}
