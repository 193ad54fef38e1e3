package leaky

import (
	"fmt"
	"log"
)

var seen = map[string]bool{} // want `map seen only grows: MarkSeen adds to it`

// MarkSeen logs the first key, but emptiness is no bound: the map still
// grows with every new key.
func MarkSeen(k string) bool {
	if len(seen) == 0 {
		log.Println("first key")
	}
	if seen[k] {
		return true
	}
	seen[k] = true
	return false
}

var recent []string // want `slice recent only grows: Note appends to it`

// Note keeps every message it formats.
func Note(format string, args ...any) {
	recent = append(recent, fmt.Sprintf(format, args...))
}

// Forget zeroes the entries, but clear keeps a slice's length: nothing
// is dropped.
func Forget() { clear(recent) }
