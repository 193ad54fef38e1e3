package main

// Seeds 001 and 003: a package-level cache of sessions, filled on every miss
// and never evicted. Every request brings a new session id (ids are never
// reused), so every request adds an entry that stays forever.

import "strconv"

type session struct {
	id      string
	profile []byte
}

var sessions = map[string]*session{}

// lookupSession returns the session for id, loading it on a miss.
func lookupSession(id string) *session {
	if s, ok := sessions[id]; ok {
		return s
	}
	s := &session{id: id, profile: make([]byte, 2048)} // LEAK heap: kept by the sessions map
	for i := range s.profile {
		s.profile[i] = byte(i)
	}
	sessions[id] = s
	return s
}

func init() {
	next := 0
	register("cache", scenario{
		rate: 400,
		step: func(n int) {
			for i := 0; i < n; i++ {
				next++
				lookupSession("sess-" + strconv.Itoa(next))
			}
		},
	})
}
