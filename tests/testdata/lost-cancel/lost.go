// Fixtures for lost-cancel: every line with a want comment must be
// reported, and nothing else in this directory.
package fixtures

import (
	"context"
	"time"
)

// examples/lostcancel: the cancel func assigned to _.
func fetch(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Hour) // want `lost-cancel: the cancel function of context\.WithTimeout is discarded`
	return ctx
}

func discards(parent context.Context, t time.Time) {
	_, _ = context.WithCancel(parent)          // want "context.WithCancel is discarded"
	var ctx, _ = context.WithDeadline(parent, t) // want "context.WithDeadline is discarded"
	_ = ctx
	context.WithCancel(parent) // want "results of context.WithCancel are dropped"
}

// Bound to a variable nobody calls.
func unused(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // want "cancel function of context.WithCancel is not used on all paths: the return on line 29.*defer cancel\(\)"
	if ctx == nil {
		_ = cancel // a use on one path only, so that the file type-checks
	}
	return ctx
}

func unusedVar(parent context.Context) context.Context {
	var ctx, stop = context.WithTimeout(parent, time.Second) // want "stop function of context.WithTimeout is not used on all paths.*defer stop\(\)"
	if ctx == nil {
		_ = stop // as above
	}
	return ctx
}

// Package level: discarding is still reported.
var bg, _ = context.WithCancel(context.Background()) // want "lost-cancel"

// In a function literal.
var handler = func(parent context.Context) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "lost-cancel"
	<-ctx.Done()
}
