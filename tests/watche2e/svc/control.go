package main

// The control: a healthy service that warms up and then holds steady. At
// start it loads a lookup table and starts a fixed pool of workers; its
// cache fills during the first second or two of traffic and then evicts
// as much as it adds. Every request also makes garbage that the next
// collection frees. `watch` must name nothing here.

import "strconv"

type lruCache struct {
	max   int
	items map[string][]byte
	order []string // oldest first
}

func (c *lruCache) get(key string) []byte {
	if v, ok := c.items[key]; ok {
		return v
	}
	v := make([]byte, 1024)
	copy(v, key)
	if len(c.order) >= c.max {
		oldest := c.order[0]
		c.order = c.order[1:]
		delete(c.items, oldest)
	}
	c.items[key] = v
	c.order = append(c.order, key)
	return v
}

var (
	table []int64
	cache = &lruCache{max: 1500, items: map[string][]byte{}}
	work  = make(chan []byte)
	sums  = make(chan int, 1)
)

func init() {
	next := 0
	register("control", scenario{
		rate: 800,
		setup: func() {
			table = make([]int64, 256<<10)
			for i := range table {
				table[i] = int64(i) * 31
			}
			for w := 0; w < 8; w++ {
				go func() {
					for buf := range work {
						s := 0
						for _, b := range buf {
							s += int(b)
						}
						select {
						case sums <- s:
						default:
						}
					}
				}()
			}
		},
		step: func(n int) {
			for i := 0; i < n; i++ {
				next++
				// Requests ask for 3000 distinct keys, twice the cache's
				// size: it fills, then evicts as much as it adds.
				v := cache.get("k" + strconv.Itoa(next%3000))
				scratch := make([]byte, 4096) // garbage, freed by the next GC
				copy(scratch, v)
				_ = table[next%len(table)]
				work <- scratch
			}
		},
	})
}
