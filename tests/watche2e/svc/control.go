package main

// The control: a healthy service that warms up and then holds steady. At
// start it loads a lookup table and starts a fixed pool of workers; its
// cache fills during the first second or two of traffic and then replaces
// as much as it adds. Every request also makes garbage that the next
// collection frees. `watch` must name nothing here.

import "strconv"

// A fixed number of slots, each keeping the last value asked for under a
// key that maps there: bounded by construction. (A map with deletes is no
// steady control: its table grows with the churn, in steps.)
type slotCache struct {
	slots []slot
}

type slot struct {
	key string
	val []byte
}

func (c *slotCache) get(key string) []byte {
	h := 0
	for i := 0; i < len(key); i++ {
		h = h*31 + int(key[i])
	}
	s := &c.slots[(h&0x7fffffff)%len(c.slots)]
	if s.key == key {
		return s.val
	}
	v := make([]byte, 1024)
	copy(v, key)
	s.key, s.val = key, v
	return v
}

var (
	table []int64
	cache = &slotCache{slots: make([]slot, 1500)}
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
				// slots: it fills, then replaces as much as it adds.
				v := cache.get("k" + strconv.Itoa(next%3000))
				scratch := make([]byte, 4096) // garbage, freed by the next GC
				copy(scratch, v)
				_ = table[next%len(table)]
				work <- scratch
			}
		},
	})
}
