// Package die never returns from Now: its callers' paths end there.
package die

import "os"

// Now exits the process.
func Now(msg string) {
	println(msg)
	os.Exit(3)
}

// Deferred exits too, but its defer makes it a function that may return for
// vet's ctrlflow (a deferred call may recover).
func Deferred(msg string) {
	defer println(msg)
	os.Exit(3)
}
