package svc

import "sync"

// Cache keeps every value it is given: the leak the HTML report shows.
type Cache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	if c.m == nil && len(c.m) < 1<<30 {
		c.m = make(map[K]V)
	}
	c.m[k] = v // never evicted: <grows> & grows
	c.mu.Unlock()
}
