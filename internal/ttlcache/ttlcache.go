// Package ttlcache is Ardoise's one in-memory cache: values kept for a fixed
// time, in a bounded map, safe for concurrent use.
//
// Changes made in this process should call Forget at once; a change made by
// another process is seen within the cache's TTL.
package ttlcache

import (
	"sync"
	"time"
)

// Cache keeps values for a fixed time. The zero value is not usable: call New.
type Cache[K comparable, V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	items map[K]entry[V]
}

type entry[V any] struct {
	v     V
	until time.Time
}

// New returns a cache whose values live for ttl, holding at most max of
// them: when full, Put drops the expired values, or all of them if none is.
func New[K comparable, V any](ttl time.Duration, max int) *Cache[K, V] {
	return &Cache[K, V]{ttl: ttl, max: max, now: time.Now, items: map[K]entry[V]{}}
}

// Get returns the value of key if it was put less than the TTL ago.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || !c.now().Before(e.until) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put keeps v under key for the cache's TTL.
func (c *Cache[K, V]) Put(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.items[key]; !ok && len(c.items) >= c.max {
		for k, e := range c.items {
			if !now.Before(e.until) {
				delete(c.items, k)
			}
		}
		if len(c.items) >= c.max {
			clear(c.items)
		}
	}
	c.items[key] = entry[V]{v: v, until: now.Add(c.ttl)}
}

// Forget drops key: the next Get misses.
func (c *Cache[K, V]) Forget(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.items, key)
}

// Len is the number of values held, expired ones included until a Put drops them.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}
