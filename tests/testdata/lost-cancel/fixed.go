package fixtures

import (
	"context"
	"time"
)

func deferred(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	<-ctx.Done()
}

// Handed to the caller.
func returned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

// Called from a nested literal.
func later(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-ctx.Done()
		cancel()
	}()
}

type job struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Stored in a field: someone else's to call.
func (j *job) start(parent context.Context) {
	j.ctx, j.cancel = context.WithCancel(parent)
}

// Assigned with = to an outer variable: not followed (package var).
var stopAll context.CancelFunc

func assignOuter(parent context.Context) context.Context {
	var ctx context.Context
	ctx, stopAll = context.WithCancel(parent)
	return ctx
}

// Not the context package's functions.
type fake struct{}

func (fake) WithCancel(p context.Context) (context.Context, func()) { return p, func() {} }

func notContext(parent context.Context) {
	var context fake
	ctx, _ := context.WithCancel(parent)
	_ = ctx
}
