package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"ardoise/internal/embedded"
	"ardoise/internal/ratelimit"
)

func TestWindowExpires(t *testing.T) {
	r, err := embedded.StartRedis("")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer rdb.Close()
	l := ratelimit.New(rdb, "t:")
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		ok, _, err := l.Allow(ctx, "k", 2, time.Second)
		if err != nil || ok != (i <= 2) {
			t.Fatalf("hit %d: %t %v", i, ok, err)
		}
	}
	if n, ttl, _ := l.Count(ctx, "k"); n != 3 || ttl <= 0 || ttl > time.Second {
		t.Fatalf("count %d ttl %s", n, ttl)
	}
	// The embedded Redis' clock ticks: the window ends by itself.
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, _, _ := l.Count(ctx, "k")
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the window never expired: miniredis' clock does not advance")
		}
		time.Sleep(100 * time.Millisecond)
	}
	l.Hit(ctx, "k2", time.Minute)
	l.Reset(ctx, "k2")
	if n, _, _ := l.Count(ctx, "k2"); n != 0 {
		t.Error("reset kept the count")
	}
}
