package claim_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"ardoise/internal/claim"
	"ardoise/internal/errkind"
)

// TestLockSerializesWriters: 20 goroutines increment a shared counter with
// a read, a pause and a write, each under the lock: no increment is lost.
func TestLockSerializesWriters(t *testing.T) {
	mr := miniredis.RunT(t)
	c := claim.New(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "test:")
	ctx := context.Background()
	counter := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := c.Lock(ctx, "doc", time.Second)
			if err != nil {
				t.Error(err)
				return
			}
			v := counter
			time.Sleep(2 * time.Millisecond)
			counter = v + 1
			release()
		}()
	}
	wg.Wait()
	if counter != 20 {
		t.Fatalf("counter %d, want 20: the lock let writers overlap", counter)
	}
	// A lock held past the wait gives up with a conflict.
	release, err := c.Lock(ctx, "held", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := c.Lock(ctx, "held", time.Minute); !errors.Is(err, errkind.ErrConflict) {
		t.Fatalf("second lock: %v", err)
	}
}

// TestReleaseFreesTheClaim: after Release, the next Take of the key wins at once.
func TestReleaseFreesTheClaim(t *testing.T) {
	mr := miniredis.RunT(t)
	c := claim.New(redis.NewClient(&redis.Options{Addr: mr.Addr()}), "test:")
	ctx := context.Background()
	if won, err := c.Take(ctx, "k", time.Minute); err != nil || !won {
		t.Fatalf("first Take = %v, %v", won, err)
	}
	if won, _ := c.Take(ctx, "k", time.Minute); won {
		t.Fatal("a second Take won a standing claim")
	}
	if err := c.Release(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if won, err := c.Take(ctx, "k", time.Minute); err != nil || !won {
		t.Fatalf("Take after Release = %v, %v", won, err)
	}
}
