package leaky

import "sync"

type server struct {
	mu    sync.Mutex
	cache map[string][]byte
	name  string
}

var srv = server{cache: map[string][]byte{}, name: "main"} // want `package-level map srv.cache only grows: Fetch adds to it \(line 23\)`

func render(key string) []byte { return []byte("<p>" + key + "</p>") }

// Fetch renders a page once and keeps it forever.
func Fetch(key string) []byte {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if b, ok := srv.cache[key]; ok {
		return b
	}
	b := render(key)
	srv.cache[key] = b
	return b
}

type stats struct {
	seen map[string]bool
}

var st = &stats{seen: make(map[string]bool)} // want `map st.seen only grows: markSeen adds to it`

// markSeen is unexported, but an exported function calls it per request.
func markSeen(id string) {
	st.seen[id] = true
}

func Visit(id string) {
	markSeen(id)
}
