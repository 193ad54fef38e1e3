// Seed 001's cache with a bound: entries are evicted once it is full.
package main

const maxEntries = 1024

var cache = map[int]int{}

func main() {
	for i := 0; ; i++ {
		if len(cache) >= maxEntries {
			for k := range cache {
				delete(cache, k)
				break
			}
		}
		cache[i] = i
	}
}
