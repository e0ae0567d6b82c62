package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
)

// apiError is the JSON error body: {"error":{"code","message","fields"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// classify is the one mapping from errors to HTTP: a status and a stable code.
func classify(err error) (int, string) {
	var fe *fiber.Error
	var rl *errkind.RateLimitedError
	var ref *errkind.RefusedError
	var den *errkind.DeniedError
	switch {
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "rate_limited"
	case errors.As(err, &ref):
		return http.StatusUnprocessableEntity, ref.Code
	case errors.As(err, &den):
		return http.StatusForbidden, den.Code
	case errors.Is(err, errkind.ErrInvalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, errkind.ErrNotFound):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, errkind.ErrUnauthenticated):
		return http.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, errkind.ErrForbidden):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, errkind.ErrConflict):
		return http.StatusConflict, "conflict"
	case errors.Is(err, errkind.ErrUnavailable):
		return http.StatusServiceUnavailable, "unavailable"
	case errors.As(err, &fe):
		switch fe.Code {
		case http.StatusRequestEntityTooLarge:
			return fe.Code, "too_large"
		case http.StatusNotFound:
			return fe.Code, "not_found"
		case http.StatusMethodNotAllowed:
			return fe.Code, "method_not_allowed"
		case http.StatusForbidden:
			return fe.Code, "forbidden"
		case http.StatusBadRequest:
			return fe.Code, "invalid"
		case http.StatusUnsupportedMediaType:
			return fe.Code, "unsupported_media_type"
		}
		if fe.Code < 500 {
			return fe.Code, "http_" + strconv.Itoa(fe.Code)
		}
	}
	return http.StatusInternalServerError, "internal"
}

// handleError is Fiber's ErrorHandler: JSON for the API, a French page otherwise.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	status, code := classify(err)
	if status >= 500 {
		a.logger.Error("request failed", "request_id", requestID(c), "method", c.Method(), "path", c.Path(), "err", err)
	}
	var rl *errkind.RateLimitedError
	if errors.As(err, &rl) {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(rl.RetryAfter.Seconds()+0.999)))
	}
	l := lang(c)
	msg := a.catalog.T(l, "error."+code)
	if !a.catalog.Has("error." + code) {
		msg = a.catalog.T(l, "error.generic")
	}
	if rl != nil {
		msg = a.catalog.T(l, "error.rate_limited_wait", "minutes", int(rl.RetryAfter.Minutes())+1)
	}
	if isAPI(c) {
		body := apiError{Error: apiErrorBody{Code: code, Message: msg}}
		if v, ok := asValidation(err); ok {
			body.Error.Fields = map[string]string{}
			for _, f := range v.Fields {
				body.Error.Fields[f.Field] = a.catalog.T(l, "field."+f.Code)
			}
		}
		raw, _ := json.Marshal(body)
		c.Status(status)
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(raw)
	}
	title := "error.title." + strconv.Itoa(status)
	if !a.catalog.Has(title) {
		title = "error.title.other"
	}
	if rerr := a.render(c, status, "error", page{Title: title, Data: msg}); rerr != nil {
		a.logger.Error("render error page", "err", rerr)
		c.Status(status)
		return c.SendString(msg)
	}
	return nil
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }
