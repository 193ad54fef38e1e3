// Generic functions and methods.
package lostcancel

import (
	"context"
	"time"
)

// vet: reported, a generic function's early return.
func gFirst[T any](parent context.Context, xs []T) (T, error) {
	var zero T
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if len(xs) == 0 {
		return zero, errBad
	}
	defer cancel()
	return xs[0], use(ctx)
}

type pool[T any] struct {
	base  context.Context
	items []T
}

// vet: reported, a method of a generic type.
func (p *pool[T]) each(f func(context.Context, T) bool) {
	for _, it := range p.items {
		ctx, cancel := context.WithCancel(p.base)
		if !f(ctx, it) {
			return
		}
		cancel()
	}
}

// vet: clean, a generic function deferring cancel.
func gDeferred[K comparable, V any](parent context.Context, m map[K]V) int {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	_ = ctx
	return len(m)
}

// vet: clean (for vet's ctrlflow, a generic function that always panics
// does not return).
func gMust[T any](err error) T {
	panic(err)
}

func gUseMust(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		gMust[int](errBad)
		return errBad
	}
	defer cancel()
	return use(ctx)
}
