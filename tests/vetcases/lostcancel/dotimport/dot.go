// Package dotimport calls the context package through a dot import.
package dotimport

import (
	. "context"
	"time"
)

// vet: nothing, vet only knows context.WithX written as a selector.
func Dotted(parent Context) Context {
	ctx, _ := WithTimeout(parent, time.Second)
	return ctx
}

// vet: nothing, the same through a path.
func DottedPath(parent Context, n int) Context {
	ctx, cancel := WithCancel(parent)
	if n > 0 {
		cancel()
	}
	return ctx
}
