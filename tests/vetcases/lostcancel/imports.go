// A renamed context import, and identifiers named context that are not it.
package lostcancel

import (
	stdctx "context"
	"time"
)

// vet: reported, renamed import.
func iRenamed(parent stdctx.Context) stdctx.Context {
	ctx, _ := stdctx.WithTimeout(parent, time.Second)
	return ctx
}

// vet: reported, renamed import, early return.
func iRenamedPath(parent stdctx.Context, n int) error {
	ctx, cancel := stdctx.WithCancel(parent)
	if n < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

type fakeContext struct{}

func (fakeContext) WithCancel(p stdctx.Context) (stdctx.Context, func()) { return p, func() {} }

// A local variable named context shadows nothing here (the import is
// stdctx), but vet's fallback, for a selector whose left side is not a
// package name, accepts any identifier spelled "context".
// vet: reported (a false positive of its heuristic).
func iShadowVar(parent stdctx.Context) stdctx.Context {
	var context fakeContext
	ctx, _ := context.WithCancel(parent)
	return ctx
}

// vet: reported as well, the same heuristic with a path.
func iShadowVarPath(parent stdctx.Context, n int) stdctx.Context {
	context := fakeContext{}
	ctx, stop := context.WithCancel(parent)
	if n > 0 {
		stop()
	}
	return ctx
}

type ctxBox struct{ context fakeContext }

// vet: nothing, b.context.WithCancel: the selector's left side is not an
// identifier.
func iField(parent stdctx.Context, b ctxBox) stdctx.Context {
	ctx, _ := b.context.WithCancel(parent)
	return ctx
}
