package main

// Seeds 001 and 003: a package-level map used as a cache that is only ever
// added to. Every request for a new page renders it and keeps it forever.

import (
	"fmt"
	"strconv"
)

const cachePageSize = 4096

var (
	pageCache = map[string][]byte{}
	requested int
)

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
		rate: 200,
		round: func(r, n int) {
			for i := 0; i < n; i++ {
				handlePage(requested)
				handlePage(i % 100) // popular pages: hits after the first
				requested++
			}
		},
		leakBytes: func() int { return len(pageCache) * cachePageSize },
		facts: func() map[string]string {
			return map[string]string{
				"cache_entries": strconv.Itoa(len(pageCache)),
				"leak_function": "main.renderPage",
			}
		},
	})
}
