// Where vet's control-flow graph (golang.org/x/tools/go/cfg) is coarser or
// different from the Go semantics; each function says what vet does.
package lostcancel

import (
	"context"
	"time"
)

// vet: nothing. vet evaluates every select case's communication before
// branching, so the send of cancel on the second case counts as a use on
// the first case's path too.
func qSelectCommUse(parent context.Context, out chan context.CancelFunc) error {
	ctx, cancel := context.WithCancel(parent)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case out <- cancel:
	}
	return nil
}

// vet: nothing. An empty select blocks forever: vet's CFG has no edge past
// it, so the end of the function is unreachable.
func qEmptySelect(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if ctx == nil {
		cancel()
	}
	select {}
}

// vet: nothing. The first cancel is lost on the early return, but vet
// keeps one statement per variable (the last assignment) and checks the
// path from there only.
func qReassignedEarlyReturn(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		return errBad
	}
	cancel()
	ctx, cancel = context.WithTimeout(parent, time.Second)
	defer cancel()
	return use(ctx)
}

// vet: reported. Code after a panic is unreachable, but vet searches from
// the call's block anyway.
func qAfterPanic(parent context.Context) context.Context {
	panic("not implemented")
	ctx, cancel := context.WithCancel(parent)
	if ctx.Err() != nil {
		return nil
	}
	cancel()
	return ctx
}

// vet: reported. An endless for with a break is not endless.
func qForBreak(parent context.Context, ch chan int) {
	ctx, cancel := context.WithCancel(parent)
	for {
		if <-ch == 0 {
			break
		}
		if ctx.Err() != nil {
			cancel()
			return
		}
	}
}

// vet: nothing. The range expression is evaluated before the loop: the
// mention of cancel there covers every path.
func qRangeOverCancel(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	for range []context.CancelFunc{cancel} {
		if n < 0 {
			return errBad
		}
	}
	return use(ctx)
}

// vet: reported. A switch case expression mentioning cancel is on the
// path through that comparison only; the first case returns before it.
func qCaseExprUse(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	switch {
	case n < 0:
		return errBad
	case cancel != nil:
		cancel()
	}
	return use(ctx)
}

// vet: nothing. A for loop's post statement mentioning cancel, reached by
// continue; the only exit goes through the condition after it.
func qForPostUse(parent context.Context, n int) {
	var cancel context.CancelFunc = func() {}
	var ctx context.Context
	for i := 0; i < n; i, _ = i+1, cancel {
		ctx, cancel = context.WithCancel(parent)
		_ = ctx
		if i%2 == 0 {
			continue
		}
		cancel()
	}
}
