// Named results: a bare return uses every named result.
package lostcancel

import "context"

// vet: clean, both returns hand cancel back (one bare).
func nBare(parent context.Context) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent)
	if ctx.Err() != nil {
		err = ctx.Err()
		return
	}
	return ctx, cancel, nil
}

// vet: reported, the error return lists other values.
func nExplicitLost(parent context.Context) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent)
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	return
}

// vet: reported, ctx is the named result, cancel a local: the bare return
// does not use the local.
func nBareLocal(parent context.Context) (ctx context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if ctx.Err() != nil {
		return
	}
	cancel()
	return
}

// vet: clean (vet's rule), a bare return inside a goroutine's literal counts
// as a use of the named result too.
func nBareInLiteral(parent context.Context, work func() bool) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent)
	go func() {
		if !work() {
			return
		}
	}()
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	return ctx, cancel, nil
}

// vet: reported, the parameter cancel is a variable of this function (its
// scope is the function), and the early return forgets it.
func nParamReassigned(parent context.Context, cancel context.CancelFunc) context.Context {
	var ctx context.Context
	ctx, cancel = context.WithCancel(parent)
	if ctx == nil {
		return nil
	}
	cancel()
	return ctx
}
