package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/profile"
)

// Cookie names.
const (
	sessionCookie = "ardoise_session"
	csrfCookie    = "ardoise_csrf"
	langCookie    = "ardoise_lang"
)

// Locals keys.
const (
	localUser   = "user"
	localLang   = "lang"
	localReqID  = "reqid"
	localBearer = "bearer"
	// localSupervision holds an invigilator's supervision token.
	localSupervision = "supervision"
	localCSRF        = "csrf"
)

func currentUser(c *fiber.Ctx) *profile.User {
	u, _ := c.Locals(localUser).(*profile.User)
	return u
}

func lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return i18n.Default
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localReqID).(string)
	return id
}

// observe gives each request an id, a store-command counter, one log line
// and its metrics.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 {
		id = keyring.RandomToken(9)
	}
	c.Locals(localReqID, id)
	c.Set("X-Request-Id", id)
	ctx, counter := database.WithCounter(c.UserContext())
	c.SetUserContext(ctx)
	err := c.Next()
	if err != nil {
		if herr := a.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	// The store commands this request cost, for load tools and tests; it
	// tells how the data is laid out, so only operators see it.
	if a.operator(c) {
		c.Set("X-Store-Commands", strconv.FormatInt(counter.Load(), 10))
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	if status == fiber.StatusNotFound && route == "/" && c.Path() != "/" {
		route = "unmatched"
	}
	elapsed := time.Since(start)
	a.Metrics.HTTPRequests.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Inc()
	a.Metrics.HTTPDuration.WithLabelValues(route).Observe(elapsed.Seconds())
	a.Metrics.StoreCommands.Observe(float64(counter.Load()))
	a.logger.Info("request", "request_id", id, "method", c.Method(), "path", c.Path(), "route", route,
		"status", status, "ms", float64(elapsed.Microseconds())/1000, "store_cmds", counter.Load(), "ip", c.IP())
	return nil
}

// contentPolicy is the default Content-Security-Policy: no inline script, no
// third-party origin, no framing.
const contentPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func (a *App) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if a.secure {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// identify finds who is calling: a Bearer token (API) or the session cookie,
// and the language to answer in.
func (a *App) identify(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if auth := c.Get(fiber.HeaderAuthorization); auth != "" {
		if !strings.HasPrefix(c.Path(), apiPrefix) && !bearerOpsRoutes[c.Path()] {
			// API tokens are for the API only: with one, a page or form
			// route (new tokens, the RGPD export…) would need no CSRF token
			// and no password. Refused before the token is even looked up.
			return a.refuseBearer(c)
		}
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return fmt.Errorf("web: authorization header: %w", errkind.ErrUnauthenticated)
		}
		if isSupervision(c.Path()) {
			// The invigilator's supervision token, not an account's: the
			// certification service checks it on every call.
			c.Locals(localSupervision, strings.TrimSpace(token))
			c.Locals(localBearer, "supervision")
		} else {
			u, t, err := a.Profile.TokenUser(ctx, strings.TrimSpace(token))
			if err != nil {
				return err
			}
			c.Locals(localUser, u)
			c.Locals(localBearer, t.ID)
		}
	} else if cookie := c.Cookies(sessionCookie); cookie != "" {
		u, err := a.Profile.SessionUser(ctx, cookie)
		switch {
		case err == nil:
			c.Locals(localUser, u)
		case errkind.IsNotFound(err) || isUnauthenticated(err):
			a.clearCookie(c, sessionCookie) // stale session: forget it quietly
		default:
			return err
		}
	}
	l := ""
	if u := currentUser(c); u != nil && u.Locale != "" {
		l = u.Locale
	}
	if l == "" {
		l = c.Cookies(langCookie)
	}
	c.Locals(localLang, i18n.Supported(l))
	return c.Next()
}

// apiPrefix is the path of the routes that accept API tokens.
const apiPrefix = "/api/v1/"

// bearerOpsRoutes also accept an API token: read-only operations routes
// that a scraper calls with an admin's token.
var bearerOpsRoutes = map[string]bool{"/metrics": true, "/readyz": true}

// refuseBearer answers 403 in the API's JSON error format to a request that
// carries an Authorization header outside the API.
func (a *App) refuseBearer(c *fiber.Ctx) error {
	l := i18n.Supported(c.Cookies(langCookie))
	raw, _ := json.Marshal(apiError{Error: apiErrorBody{Code: "bearer_web_only", Message: a.catalog.T(l, "error.bearer_web_only")}})
	c.Status(fiber.StatusForbidden)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(raw)
}

func isUnauthenticated(err error) bool { return errors.Is(err, errkind.ErrUnauthenticated) }

// csrfToken returns the token forms must carry, setting the CSRF cookie the
// first time. The token is a MAC of the cookie, so a page on another site
// can neither read nor forge it.
func (a *App) csrfToken(c *fiber.Ctx) string {
	if t, ok := c.Locals(localCSRF).(string); ok {
		return t
	}
	seed := c.Cookies(csrfCookie)
	if len(seed) < 20 || len(seed) > 64 {
		seed = keyring.RandomToken(18)
		a.setCookie(c, csrfCookie, seed, time.Time{})
		c.Request().Header.SetCookie(csrfCookie, seed)
	}
	t := a.Keys.Sign("csrf", seed)
	c.Locals(localCSRF, t)
	return t
}

// checkCSRF refuses a state-changing request without a valid token. Bearer
// requests carry no ambient credentials and need none; an API call without
// any session cookie is anonymous and needs none either.
func (a *App) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if c.Locals(localBearer) != nil || strings.HasPrefix(c.Path(), "/admin/queues") {
		return c.Next() // bearer: no ambient credential; asynqmon: checked by origin
	}
	if isAPI(c) && c.Cookies(sessionCookie) == "" {
		return c.Next()
	}
	seed := c.Cookies(csrfCookie)
	token := c.Get("X-CSRF-Token")
	if token == "" {
		token = c.FormValue("_csrf")
	}
	if seed == "" || token == "" || !a.Keys.Verify(token, "csrf", seed) {
		return fmt.Errorf("web: missing or wrong CSRF token: %w", errCSRF)
	}
	return c.Next()
}

var errCSRF = fmt.Errorf("csrf: %w", errkind.ErrForbidden)

// setCookie sets an HttpOnly, SameSite=Lax cookie (Secure over https);
// a zero expiry makes a browser-session cookie.
func (a *App) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: a.secure}
	if !expires.IsZero() {
		ck.Expires = expires
	}
	c.Cookie(ck)
}

func (a *App) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: a.secure, Expires: time.Unix(0, 0), MaxAge: -1})
}

// requireUser sends anonymous visitors to the login page (web) or answers 401 (API).
func requireUser(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	if isAPI(c) {
		return fmt.Errorf("web: %w", errkind.ErrUnauthenticated)
	}
	if c.Method() == fiber.MethodGet {
		return c.Redirect("/connexion?suite="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return fmt.Errorf("web: %w", errkind.ErrUnauthenticated)
}

// requireRole lets through only users holding role (admins hold every role).
func requireRole(role profile.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return requireUser(c)
		}
		if !u.Has(role) {
			return fmt.Errorf("web: role %s required: %w", role, errkind.ErrForbidden)
		}
		return c.Next()
	}
}

// uploadRoutes may receive bodies up to UploadBodyLimit.
var uploadRoutes = map[string]bool{"/api/v1/modules/import": true, "/formation/modules/import": true}

// limitBody answers 413 to a body over the route's limit: fasthttp already
// refuses anything over UploadBodyLimit, this narrows every other route.
func limitBody(c *fiber.Ctx) error {
	limit := DefaultBodyLimit
	if uploadRoutes[c.Path()] {
		limit = UploadBodyLimit
	}
	if c.Request().Header.ContentLength() > limit || len(c.Request().Body()) > limit {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}
