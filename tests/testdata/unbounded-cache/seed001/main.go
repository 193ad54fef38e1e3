// Seed 001, "Unbounded resource creation": a cache that only ever grows.
package main

var cache = map[int]int{} // want `unbounded-cache: package-level map cache only grows: main adds to it \(line 9\) and nothing deletes from it; bound it \(size check, LRU\) or evict entries`

func main() {
	// keep allocating memory indifinitely
	for i := 0; ; i++ {
		cache[i] = i
	}
}
