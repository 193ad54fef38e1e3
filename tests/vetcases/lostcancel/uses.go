// What counts as using cancel: any mention of the variable (vet: any
// identifier the type checker resolves to it), even in a nested literal.
package lostcancel

import (
	"context"
	"time"
)

type job struct {
	ctx    context.Context
	cancel context.CancelFunc
}

var registry []context.CancelFunc

func register(f context.CancelFunc) { registry = append(registry, f) }

// vet: clean, handed to another function.
func uPassed(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	register(cancel)
	return ctx
}

// vet: reported, handed off on one path only.
func uPassedSome(parent context.Context, keep bool) context.Context {
	ctx, cancel := context.WithCancel(parent)
	if keep {
		register(cancel)
	}
	return ctx
}

// vet: clean, stored in a struct field.
func uStoredField(parent context.Context, j *job) {
	ctx, cancel := context.WithCancel(parent)
	j.ctx = ctx
	j.cancel = cancel
}

// vet: clean, assigned straight into a field (not an identifier: not tracked).
func uFieldLHS(parent context.Context, j *job) {
	j.ctx, j.cancel = context.WithCancel(parent)
}

// vet: clean, into a slice element (not an identifier).
func uIndexLHS(parent context.Context, cs []context.CancelFunc) context.Context {
	var ctx context.Context
	ctx, cs[0] = context.WithCancel(parent)
	return ctx
}

// vet: clean, in a composite literal returned.
func uCompositeLit(parent context.Context) *job {
	ctx, cancel := context.WithCancel(parent)
	return &job{ctx: ctx, cancel: cancel}
}

// vet: reported, the composite literal's key "cancel" is the field, not the
// variable; the nil path returns without it.
func uCompositeKey(parent context.Context, bad bool) *job {
	ctx, cancel := context.WithCancel(parent)
	if bad {
		return &job{ctx: ctx, cancel: nil}
	}
	return &job{ctx, cancel}
}

// vet: reported, j.cancel is a field, not the local cancel.
func uFieldSameName(parent context.Context, j *job) {
	ctx, cancel := context.WithCancel(parent)
	if ctx == nil {
		j.cancel()
		return
	}
	cancel()
}

// vet: reported, the label named cancel is not the variable.
func uLabelSameName(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	if n > 0 {
		goto cancel
	}
	cancel()
cancel:
	return
}

// vet: clean, returned to the caller.
func uReturned(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

// vet: clean, a closure that calls it is returned.
func uClosureReturned(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, func() { cancel() }
}

// vet: clean, a goroutine calls it.
func uGoroutine(parent context.Context, done chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-done
		cancel()
	}()
	return ctx
}

// vet: clean, go cancel() directly.
func uGoStmt(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	go cancel()
}

// vet: reported, the closure is created after the early return.
func uClosureLate(parent context.Context, ok bool) func() {
	ctx, cancel := context.WithCancel(parent)
	if !ok {
		return nil
	}
	_ = ctx
	return func() { cancel() }
}

// vet: reported, a closure built before the call mentions cancel, but the
// path after the call does not.
func uClosureEarly(parent context.Context, ok bool) {
	var cancel context.CancelFunc
	stop := func() { cancel() }
	var ctx context.Context
	ctx, cancel = context.WithCancel(parent)
	if !ok {
		return
	}
	_ = ctx
	stop()
}

// vet: clean, blank assignment of the variable is a mention.
func uBlankUse(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	return ctx
}

// vet: clean, sent on a channel.
func uSent(parent context.Context, out chan<- context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent)
	out <- cancel
	return ctx
}

// vet: clean, stored in a map.
func uMap(parent context.Context, m map[string]context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent)
	m["k"] = cancel
	return ctx
}

// vet: reported, a shadowing local named cancel in an inner block.
func uShadowedVar(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if ctx == nil {
		cancel()
		return
	}
	{
		cancel := func() {}
		cancel()
	}
	_ = ctx
}

// vet: clean, the inner := redeclares ctx only and assigns cancel (a use).
func uRedeclared(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	ctx2, cancel := context.WithCancel(ctx)
	_ = ctx2
	defer cancel()
}
