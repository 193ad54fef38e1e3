// Command cache memoises an expensive computation in a package-level map
// that nothing ever deletes from: memory grows with every new key.
package main

import (
	"fmt"
	"net/http"
	"strings"
)

var cache = make(map[string]string)

func render(key string) string {
	if v, ok := cache[key]; ok {
		return v
	}
	v := strings.Repeat(key, 64)
	cache[key] = v // LEAK: added on every miss, never evicted
	return v
}

func handler(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, render(r.URL.Query().Get("id")))
}

func main() {
	http.HandleFunc("/", handler)
	_ = http.ListenAndServe("127.0.0.1:8081", nil)
}
