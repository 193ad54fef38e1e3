// Paths from the WithX call to a return on which cancel is never mentioned.
package lostcancel

import (
	"context"
	"errors"
	"time"
)

var errBad = errors.New("bad")

func use(ctx context.Context) error { return ctx.Err() }

// vet: reported, the early return skips the defer.
func pEarlyReturn(parent context.Context, id int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if id < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, deferred first.
func pDeferFirst(parent context.Context, id int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	if id < 0 {
		return errBad
	}
	return use(ctx)
}

// vet: reported, cancel only on the then-branch, the else falls off the end.
func pSomeBranches(parent context.Context, ok bool) {
	ctx, cancel := context.WithCancel(parent)
	if ok {
		cancel()
	} else {
		_ = use(ctx)
	}
}

// vet: clean, both branches call it.
func pBothBranches(parent context.Context, ok bool) {
	ctx, cancel := context.WithCancel(parent)
	if ok {
		cancel()
	} else {
		_ = use(ctx)
		cancel()
	}
}

// vet: reported, an else-if chain where one arm forgets.
func pElseIfChain(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n == 0 {
		cancel()
		return nil
	} else if n == 1 {
		return use(ctx)
	} else {
		defer cancel()
	}
	return nil
}

// vet: reported, continue skips cancel and the loop ends in a return.
func pLoopContinue(parent context.Context, ids []int) error {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(parent)
		if id == 0 {
			continue
		}
		_ = use(ctx)
		cancel()
	}
	return nil
}

// vet: reported, break leaves the loop before cancel.
func pLoopBreak(parent context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		if use(ctx) != nil {
			break
		}
		cancel()
	}
}

// vet: clean, cancel before both continue and break.
func pLoopClean(parent context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		if i%2 == 0 {
			cancel()
			continue
		}
		if use(ctx) != nil {
			cancel()
			break
		}
		cancel()
	}
}

// vet: reported, a labeled continue of the outer loop skips cancel.
func pLabeledContinue(parent context.Context, rows [][]int) {
outer:
	for _, row := range rows {
		ctx, cancel := context.WithCancel(parent)
		for _, v := range row {
			if v < 0 {
				continue outer
			}
		}
		_ = use(ctx)
		cancel()
	}
}

// vet: clean, an endless loop never returns.
func pForever(parent context.Context, work chan int) {
	for {
		ctx, cancel := context.WithCancel(parent)
		if <-work == 0 {
			continue
		}
		_ = use(ctx)
		cancel()
	}
}

// vet: reported, goto jumps past cancel to the return.
func pGotoSkip(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n > 0 {
		goto done
	}
	_ = use(ctx)
	cancel()
done:
	return nil
}

// vet: clean, goto lands on the cancel.
func pGotoCancel(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
	if n > 0 {
		goto out
	}
	_ = use(ctx)
out:
	cancel()
}

// vet: reported, a backward goto loop whose exit does not cancel.
func pGotoLoop(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
again:
	if n > 0 {
		n--
		goto again
	}
	_ = use(ctx)
	if n == 0 {
		cancel()
	}
}

// vet: reported, one case returns without cancel.
func pSwitchCase(parent context.Context, kind string) error {
	ctx, cancel := context.WithCancel(parent)
	switch kind {
	case "a":
		defer cancel()
	case "b":
		return use(ctx)
	default:
		cancel()
	}
	return nil
}

// vet: reported, no default: the switch can fall out without cancel.
func pSwitchNoDefault(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
	switch {
	case n > 0:
		cancel()
	case n < 0:
		defer cancel()
	}
	_ = ctx
}

// vet: clean, case 0 falls through into case 1's cancel.
func pFallthrough(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	switch n {
	case 0:
		fallthrough
	case 1:
		cancel()
	default:
		cancel()
	}
}

// vet: reported, a type switch with a forgetful case.
func pTypeSwitch(parent context.Context, v any) {
	ctx, cancel := context.WithCancel(parent)
	switch v.(type) {
	case int:
		cancel()
	case string:
		_ = use(ctx)
		return
	default:
		cancel()
	}
}

// vet: reported, the Done case returns without cancel.
func pSelect(parent context.Context, ch chan int) int {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	select {
	case <-ctx.Done():
		return -1
	case v := <-ch:
		cancel()
		return v
	}
}

// vet: clean, default and the case both cancel.
func pSelectDefault(parent context.Context, ch chan int) {
	ctx, cancel := context.WithCancel(parent)
	select {
	case <-ch:
		cancel()
	default:
		_ = ctx
		cancel()
	}
}

// vet: reported, the defer is only on one branch.
func pDeferInBranch(parent context.Context, ok bool) error {
	ctx, cancel := context.WithCancel(parent)
	if ok {
		defer cancel()
	}
	return use(ctx)
}

// vet: clean, cancel deferred in a closure.
func pDeferClosure(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel()
	}()
	return use(ctx)
}

// vet: reported, the return is in the same block as the call.
func pSameBlock(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	if false {
		cancel()
	}
	return ctx
}

// vet: reported, && does not split vet's blocks: the return before cancel.
func pCondition(parent context.Context, a, b bool) error {
	ctx, cancel := context.WithCancel(parent)
	if a && use(ctx) == nil {
		return nil
	}
	cancel()
	return nil
}

// vet: clean, an if with an init statement, both arms cancel.
func pIfInit(parent context.Context) error {
	if ctx, cancel := context.WithCancel(parent); ctx.Err() == nil {
		defer cancel()
		return use(ctx)
	} else {
		cancel()
	}
	return nil
}

// vet: reported, the WithCancel is in the if's init and the then-arm forgets.
func pIfInitLost(parent context.Context) error {
	if ctx, cancel := context.WithCancel(parent); ctx.Err() == nil {
		return use(ctx)
	} else {
		cancel()
	}
	return nil
}

// vet: reported, in a switch's init.
func pSwitchInit(parent context.Context, n int) error {
	switch ctx, cancel := context.WithCancel(parent); n {
	case 0:
		cancel()
	default:
		return use(ctx)
	}
	return nil
}
