// Function literals are analysed on their own; a literal does not look at
// its enclosing function's variables, nor the function at the literal's.
package lostcancel

import (
	"context"
	"time"
)

// vet: reported, inside a literal assigned to a package variable.
var litHandler = func(parent context.Context, n int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if n < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: reported, a literal called in a goroutine falls off its end.
func lGoroutine(parent context.Context, ch chan int) {
	go func() {
		ctx, cancel := context.WithCancel(parent)
		if <-ch == 0 {
			return
		}
		_ = use(ctx)
		cancel()
	}()
}

// vet: nothing, the literal assigns the outer function's variable with =:
// its scope is larger than the literal, and the outer function never
// assigns it from WithCancel itself.
func lOuterVar(parent context.Context) func() {
	var cancel context.CancelFunc
	start := func() {
		var ctx context.Context
		ctx, cancel = context.WithCancel(parent)
		_ = ctx
	}
	start()
	return func() { cancel() }
}

// vet: reported, a literal nested in a literal.
func lNested(parent context.Context) func() func() error {
	return func() func() error {
		return func() error {
			ctx, cancel := context.WithCancel(parent)
			if ctx == nil {
				return errBad
			}
			cancel()
			return nil
		}
	}
}

// vet: clean, the literal's own defer.
func lDeferInLit(parent context.Context, items []int) {
	for range items {
		func() {
			ctx, cancel := context.WithCancel(parent)
			defer cancel()
			_ = use(ctx)
		}()
	}
}

// vet: reported in the outer function only: the literal mentions cancel
// but is created after the early return.
func lOuterLost(parent context.Context, n int) func() {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	if n == 0 {
		return nil
	}
	return func() {
		ctx, stop := context.WithCancel(parent)
		_ = ctx
		stop()
		cancel()
	}
}
