package leaky

import (
	"strings"
	"sync"
)

var sessions sync.Map // want `package-level sync.Map sessions only grows: Login stores into it \(line 17\) and nothing deletes from it; bound it \(size check, LRU\) or Delete entries no longer needed`

type session struct {
	user  string
	token string
}

// Login creates a session per token; logout was never written.
func Login(user, token string) {
	sessions.Store(token, &session{user: strings.ToLower(user), token: token})
}

func lookup(token string) (*session, bool) {
	v, ok := sessions.Load(token)
	if !ok {
		return nil, false
	}
	return v.(*session), true
}

var normalized = &sync.Map{} // want `sync.Map normalized only grows: Normalize stores into it`

// Normalize memoises a computed value per input.
func Normalize(s string) string {
	if v, ok := normalized.Load(s); ok {
		return v.(string)
	}
	v, _ := normalized.LoadOrStore(s, strings.ToLower(strings.TrimSpace(s)))
	return v.(string)
}
