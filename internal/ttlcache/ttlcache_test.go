package ttlcache

import (
	"sync"
	"testing"
	"time"
)

func TestGetPutForgetExpire(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c := New[string, int](30*time.Second, 10)
	c.now = func() time.Time { return now }
	if _, ok := c.Get("a"); ok {
		t.Fatal("empty cache hits")
	}
	c.Put("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get = %d, %v", v, ok)
	}
	now = now.Add(29 * time.Second)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("expired before its TTL")
	}
	now = now.Add(time.Second)
	if _, ok := c.Get("a"); ok {
		t.Fatal("still there after its TTL")
	}
	c.Put("b", 2)
	c.Forget("b")
	if _, ok := c.Get("b"); ok {
		t.Fatal("Forget kept the value")
	}
}

func TestBounded(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c := New[int, int](time.Minute, 3)
	c.now = func() time.Time { return now }
	c.Put(1, 1)
	c.Put(2, 2)
	now = now.Add(2 * time.Minute) // 1 and 2 expire
	c.Put(3, 3)
	c.Put(4, 4) // full: drops the expired ones only
	if c.Len() != 2 {
		t.Fatalf("Len = %d after dropping the expired, want 2", c.Len())
	}
	c.Put(5, 5)
	c.Put(6, 6) // full of live values: starts again
	if c.Len() != 1 {
		t.Fatalf("Len = %d after a full reset, want 1", c.Len())
	}
	c.Put(6, 7) // replacing a key never evicts
	if v, ok := c.Get(6); !ok || v != 7 || c.Len() != 1 {
		t.Fatalf("Get(6) = %d, %v; Len %d", v, ok, c.Len())
	}
}

func TestConcurrent(t *testing.T) {
	c := New[int, int](time.Minute, 100)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				c.Put(i%150, g)
				c.Get(i % 150)
				c.Forget((i + 1) % 150)
			}
		}()
	}
	wg.Wait()
}
