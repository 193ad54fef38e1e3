package leaky

import (
	"fmt"
	"time"
)

type event struct {
	at  time.Time
	msg string
}

var events []event // want `package-level slice events only grows: Logf appends to it \(line 17\) and nothing truncates or resets it; bound it \(cap its length, ring buffer\) or drop old entries`

// Logf keeps every message for a debug page.
func Logf(format string, args ...any) {
	events = append(events, event{time.Now(), fmt.Sprintf(format, args...)})
}

// Recent is a copy of the tail: handing out a slice cannot shorten ours.
func Recent(n int) []event {
	out := events
	if n < len(out) {
		out = out[len(out)-n:]
	}
	return append([]event(nil), out...)
}
