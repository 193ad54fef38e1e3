// Seed 003, "A Global Cache Without an Eviction Policy".
package seed003

// A simple cache that is never cleared.
var cache = make(map[string]string) // want `package-level map cache only grows: handleRequest adds to it \(line 13\)`

func handleRequest(key string) string {
	if val, ok := cache[key]; ok {
		return val
	}
	// ... calculate value ...
	val := "some calculated value"
	cache[key] = val // Add to cache, but never remove.
	return val
}

// Serve is how requests reach handleRequest.
func Serve(keys <-chan string) {
	for k := range keys {
		_ = handleRequest(k)
	}
}
