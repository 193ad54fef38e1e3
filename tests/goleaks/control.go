package main

// The control: a service with a bounded cache that fills during warm-up and
// then only replaces entries, sessions that come and go around a constant
// level, and per-request garbage. Its memory grows during the first round
// and a half and then holds steady; nothing here leaks. trend must call the
// cache site a plateau and call nothing growing.

import (
	"strconv"
)

const (
	controlSlots        = 256
	controlEntrySize    = 4096
	controlSessionSize  = 1024
	controlRequests     = 300
	controlWarmupRound0 = controlSlots * 6 / 10
)

// boundedCache keeps at most controlSlots entries; a new key evicts the
// entry in its slot.
type boundedCache struct {
	keys  [controlSlots]int
	slots [controlSlots][]byte
}

func (c *boundedCache) get(key int) []byte {
	s := key % controlSlots
	if c.slots[s] != nil && c.keys[s] == key {
		return c.slots[s]
	}
	entry := make([]byte, controlEntrySize) // STEADY: at most controlSlots entries live at once
	entry[0] = byte(key)
	c.keys[s], c.slots[s] = key, entry
	return entry
}

type session struct {
	id    int
	state []byte
}

var (
	cacheCtl    boundedCache
	sessions    = map[int]*session{}
	nextSession int
	// Live sessions per round: up and down around 100, no trend.
	sessionLevels = []int{100, 118, 84, 112, 90, 108, 96, 104, 100}
	sink          int
)

// setSessions expires the oldest sessions or opens new ones to reach n.
func setSessions(n int) {
	for id := nextSession - len(sessions); len(sessions) > n; id++ {
		delete(sessions, id)
	}
	for len(sessions) < n {
		state := make([]byte, controlSessionSize) // NOISE: live sessions go up and down, no trend
		sessions[nextSession] = &session{id: nextSession, state: state}
		nextSession++
	}
}

// serve handles one request: some garbage, then a cache lookup.
func serve(key int) {
	scratch := make([]byte, 512) // freed as soon as the request ends
	scratch[0] = byte(key)
	sink += int(scratch[0]) + len(cacheCtl.get(key))
}

func init() {
	register("control", scenario{
		rate: controlRequests,
		round: func(r, n int) {
			switch r {
			case 0:
				// Warm-up: the first snapshot sees the cache 60% full.
				for k := 0; k < controlWarmupRound0; k++ {
					serve(k)
				}
			case 1:
				for k := controlWarmupRound0; k < controlSlots; k++ {
					serve(k)
				}
			default:
				// Steady state: a mix of hits and misses; each miss replaces
				// an entry, so the cache's size does not change.
				for i := 0; i < n; i++ {
					serve((r*controlRequests + i*7) % (3 * controlSlots))
				}
			}
			setSessions(sessionLevels[r%len(sessionLevels)])
		},
		facts: func() map[string]string {
			return map[string]string{
				"cache_bytes":     strconv.Itoa(controlSlots * controlEntrySize),
				"steady_function": "main.(*boundedCache).get",
				"noise_function":  "main.setSessions",
			}
		},
	})
}
