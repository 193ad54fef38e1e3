package main

// Seeds 001 and 003: a package-level map used as a cache that is only ever
// added to. Every request for a new page renders it and keeps it forever.

import (
	"fmt"
	"strconv"
)

const (
	cachePageSize     = 4096
	cacheMissPerRound = 200
)

var pageCache = map[string][]byte{}

func renderPage(id int) []byte {
	page := make([]byte, cachePageSize) // LEAK heap: every rendered page stays in pageCache
	copy(page, fmt.Sprintf("<html><body>page %d</body></html>", id))
	return page
}

// handlePage is the request handler: look up, render on a miss, remember.
func handlePage(id int) []byte {
	key := "page-" + strconv.Itoa(id)
	if p, ok := pageCache[key]; ok {
		return p
	}
	p := renderPage(id)
	pageCache[key] = p // nothing ever deletes from pageCache
	return p
}

func init() {
	register("cache", scenario{
		round: func(r int) {
			for i := 0; i < cacheMissPerRound; i++ {
				handlePage(r*cacheMissPerRound + i)
				handlePage(i) // popular pages: hits after round 0
			}
		},
		leakBytes: func() int { return len(pageCache) * cachePageSize },
		facts: func() map[string]string {
			return map[string]string{
				"cache_entries":   strconv.Itoa(len(pageCache)),
				"bytes_per_round": strconv.Itoa(cacheMissPerRound * cachePageSize),
				"leak_function":   "main.renderPage",
			}
		},
	})
}
