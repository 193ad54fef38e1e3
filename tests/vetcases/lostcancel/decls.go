// Declarations, reassignment, discards and calls that are not assignments.
package lostcancel

import (
	"context"
	"time"
)

// vet: reported at the blank: discarded.
func dBlank(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}

// vet: reported, var with a blank.
func dVarBlank(parent context.Context) context.Context {
	var ctx, _ = context.WithTimeout(parent, time.Second)
	return ctx
}

// vet: reported, var declaration, early return.
func dVar(parent context.Context, n int) error {
	var ctx, cancel = context.WithCancel(parent)
	if n < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: reported, inside a grouped var declaration.
func dVarGroup(parent context.Context, n int) error {
	var (
		limit       = n
		ctx, cancel = context.WithDeadline(parent, time.Now().Add(time.Second))
	)
	if limit < 0 {
		return errBad
	}
	cancel()
	return use(ctx)
}

// vet: clean, typed var declaration then = assignment, deferred.
func dDeclaredThenAssigned(parent context.Context) error {
	var ctx context.Context
	var cancel context.CancelFunc
	ctx, cancel = context.WithCancel(parent)
	defer cancel()
	return use(ctx)
}

// vet: reported, declared then assigned with =, early return.
func dAssignedLost(parent context.Context, n int) error {
	var ctx context.Context
	var cancel context.CancelFunc
	ctx, cancel = context.WithCancel(parent)
	if n == 0 {
		return nil
	}
	cancel()
	return use(ctx)
}

// vet: reported, cancel reassigned; vet keeps one statement per variable
// (the last), and the path from it to the return forgets.
func dReassigned(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	cancel()
	ctx, cancel = context.WithTimeout(parent, time.Second)
	if n == 0 {
		return use(ctx)
	}
	cancel()
	return nil
}

// vet: clean, reassigned in a loop, each one cancelled.
func dReassignedLoop(parent context.Context, n int) {
	var ctx context.Context
	var cancel context.CancelFunc
	for i := 0; i < n; i++ {
		ctx, cancel = context.WithCancel(parent)
		_ = use(ctx)
		cancel()
	}
}

// vet: clean, the parent's ctx is replaced and cancel deferred.
func dChained(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return use(ctx)
}

// vet: nothing, results dropped entirely (an expression statement).
func dExprStmt(parent context.Context) {
	context.WithCancel(parent)
}

// vet: reported twice, both blanks.
func dBothBlank(parent context.Context) {
	_, _ = context.WithCancel(parent)
	_, _ = context.WithTimeout(parent, time.Second)
}

// vet: nothing, results returned directly.
func dReturnCall(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(parent)
}

// vet: nothing, the call is parenthesized (vet wants the call directly
// below the assignment).
func dParenCall(parent context.Context) context.Context {
	ctx, _ := (context.WithCancel(parent))
	return ctx
}

// vet: nothing, the function is a value, not the qualified identifier.
func dFuncValue(parent context.Context) context.Context {
	with := context.WithCancel
	ctx, _ := with(parent)
	return ctx
}

// vet: reported at the blank's line; the call is on the next line.
func dMultiline(parent context.Context) context.Context {
	ctx, _ :=
		context.WithCancel(parent)
	return ctx
}

// vet: reported at the statement's line, the call is on the next.
func dMultilineLost(parent context.Context, n int) context.Context {
	ctx, cancel :=
		context.WithCancel(parent)
	if n > 0 {
		cancel()
	}
	return ctx
}

// vet: nothing, package level (vet looks only inside functions).
var pkgCtx, _ = context.WithCancel(context.Background())

// vet: nothing, a package variable assigned with = in a function: its
// scope is larger than the function.
var pkgCancel context.CancelFunc

func dPackageVar(parent context.Context) context.Context {
	var ctx context.Context
	ctx, pkgCancel = context.WithCancel(parent)
	return ctx
}
