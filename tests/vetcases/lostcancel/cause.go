// The Cause variants (Go 1.20 and 1.21).
package lostcancel

import (
	"context"
	"errors"
	"time"
)

// vet: reported, early return before cancel(err).
func cCancelCause(parent context.Context, n int) error {
	ctx, cancel := context.WithCancelCause(parent)
	if n < 0 {
		return errBad
	}
	defer cancel(errors.New("done"))
	return use(ctx)
}

// vet: reported, discarded.
func cTimeoutCauseBlank(parent context.Context) context.Context {
	ctx, _ := context.WithTimeoutCause(parent, time.Second, errBad)
	return ctx
}

// vet: reported, the cancel of WithDeadlineCause forgotten on one branch.
func cDeadlineCause(parent context.Context, d time.Time, ok bool) {
	ctx, stop := context.WithDeadlineCause(parent, d, errBad)
	if ok {
		stop()
		return
	}
	_ = ctx
}

// vet: clean.
func cTimeoutCauseDeferred(parent context.Context) error {
	ctx, cancel := context.WithTimeoutCause(parent, time.Second, errBad)
	defer cancel()
	return use(ctx)
}

// vet: nothing, WithoutCancel and WithValue return no cancel function.
func cOthers(parent context.Context) context.Context {
	ctx := context.WithoutCancel(parent)
	return context.WithValue(ctx, errBad, 1)
}
