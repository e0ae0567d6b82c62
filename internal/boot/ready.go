package boot

import (
	"context"

	"github.com/redis/go-redis/v9"

	"ardoise/internal/database"
)

// readiness is what /readyz asks: whether the store and Redis (the queue)
// answer. It is all the web app sees of either.
type readiness struct {
	db  *database.DB
	rdb redis.UniversalClient
}

// Ping pings the store and Redis, by name ("store", "queue"); a nil error
// is one that answered.
func (r readiness) Ping(ctx context.Context) map[string]error {
	return map[string]error{"store": r.db.Ping(ctx), "queue": r.rdb.Ping(ctx).Err()}
}
