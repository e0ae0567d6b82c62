package embedded

import (
	"fmt"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// Redis is an in-process miniredis whose clock is advanced by a ticker:
// miniredis never expires keys by itself, and asynq's uniqueness locks and
// Ardoise's rate-limit counters rely on expiry.
type Redis struct {
	m        *miniredis.Miniredis
	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// StartRedis starts miniredis on addr ("127.0.0.1:0" for a free port).
func StartRedis(addr string) (*Redis, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr(addr); err != nil {
		return nil, fmt.Errorf("embedded redis: %w", err)
	}
	r := &Redis{m: m, stop: make(chan struct{})}
	r.wg.Add(1)
	go r.tick()
	return r, nil
}

func (r *Redis) tick() {
	defer r.wg.Done()
	const step = 250 * time.Millisecond
	t := time.NewTicker(step)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.m.FastForward(step)
		}
	}
}

// URL is the redis:// URL of the server.
func (r *Redis) URL() string { return "redis://" + r.m.Addr() }

// Addr is the host:port of the server.
func (r *Redis) Addr() string { return r.m.Addr() }

// Restart drops every key and restarts the server on the same address,
// as a crashed Redis without persistence would come back. Tests use it to
// prove that no work is lost with the queue.
func (r *Redis) Restart() error {
	r.m.Close()
	r.m.FlushAll()
	return r.m.Restart()
}

// Stop stops the ticker and the server.
func (r *Redis) Stop() {
	r.stopOnce.Do(func() {
		close(r.stop)
		r.wg.Wait()
		r.m.Close()
	})
}
