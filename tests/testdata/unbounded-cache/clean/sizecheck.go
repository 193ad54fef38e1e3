package clean

import "strings"

const maxNames = 512

var names = map[string]string{}

// Canon caches only while there is room.
func Canon(s string) string {
	if v, ok := names[s]; ok {
		return v
	}
	v := strings.ToLower(s)
	if len(names) < maxNames {
		names[s] = v
	}
	return v
}

var recent []string

// Push keeps the last 100 entries: the size check drops the oldest.
func Push(s string) {
	if len(recent) >= 100 {
		recent = recent[1:]
	}
	recent = append(recent, strings.TrimSpace(s))
}
