package leaky

import (
	"net/http"
	"sync"
)

var (
	mu   sync.Mutex
	hits = map[string]int{} // want `package-level map hits only grows: CountHit adds to it \(line 16\)`
)

// CountHit counts requests per path: every distinct URL is a new key.
func CountHit(r *http.Request) {
	mu.Lock()
	hits[r.URL.Path]++
	mu.Unlock()
}

var bytesBy = map[string]int64{} // want `map bytesBy only grows: Account adds to it`

// Account sums sizes per client: += creates the entry when it is missing.
func Account(client string, n int64) {
	mu.Lock()
	defer mu.Unlock()
	bytesBy[client] += n
}

var history = map[string][]string{} // want `map history only grows: Remember adds to it`

// Remember appends to a per-user list; users never leave.
func Remember(user, page string) {
	mu.Lock()
	history[user] = append(history[user], page+"?seen")
	mu.Unlock()
}
