package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
)

// allowOrRefuse counts one more action under key (in Redis, so across
// processes) and refuses it with a RateLimitedError beyond limit per window.
func (a *App) allowOrRefuse(c *fiber.Ctx, key string, limit int64, window time.Duration) error {
	ok, wait, err := a.Limiter.Allow(c.UserContext(), key, limit, window)
	if err != nil {
		return err
	}
	if !ok {
		return &errkind.RateLimitedError{RetryAfter: wait}
	}
	return nil
}
