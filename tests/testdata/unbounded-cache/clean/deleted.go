// Look-alikes of an unbounded cache that something bounds.
package clean

import "sync"

var (
	mu      sync.Mutex
	byToken = map[string]string{}
)

// Login adds; Logout, in another file, deletes.
func Login(token, user string) {
	mu.Lock()
	byToken[token] = user + "@example.com"
	mu.Unlock()
}
