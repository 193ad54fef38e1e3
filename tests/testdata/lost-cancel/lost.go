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
	context.WithCancel(parent) // want "WithCancel is discarded"
}

// Bound to a variable nobody calls.
func unused(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // want "never called or used.*defer cancel\(\)"
	return ctx
}

func unusedVar(parent context.Context) context.Context {
	var ctx, stop = context.WithTimeout(parent, time.Second) // want "never called or used.*defer stop\(\)"
	return ctx
}

// Package level: discarding is still reported.
var bg, _ = context.WithCancel(context.Background()) // want "lost-cancel"

// In a function literal.
var handler = func(parent context.Context) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "lost-cancel"
	<-ctx.Done()
}
