package fixtures

import (
	"context"
	"errors"
	"log"
	"os"
	"time"
)

var errBad = errors.New("bad")

// An early return before the defer: go vet's classic.
func earlyReturn(parent context.Context, id int) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // want "cancel function of context.WithTimeout is not used on all paths: the return on line 17"
	if id < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// cancel called on the success path only.
func successOnly(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want "not used on all paths: the return on line 27"
	if err := use(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}

// A continue skips the cancel of this iteration; the loop's end returns.
func loopSkip(parent context.Context, ids []int) {
	for _, id := range ids {
		ctx, cancel := context.WithCancel(parent) // want "not used on all paths: the end of the function"
		if id == 0 {
			continue
		}
		_ = use(ctx)
		cancel()
	}
}

// Falls off the end without calling it.
func fallsOff(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // want "the end of the function is reached"
	if ctx == nil {
		cancel()
	}
}

// A cause variant.
func cause(parent context.Context) context.Context {
	ctx, cancel := context.WithCancelCause(parent) // want "WithCancelCause is not used on all paths"
	if ctx.Err() != nil {
		return ctx
	}
	defer cancel(nil)
	return ctx
}

// Not reported: every path uses it.
func allPaths(parent context.Context, id int) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	defer cancel()
	if id < 0 {
		return errBad
	}
	return use(ctx)
}

// Not reported: the other path ends the process.
func fatal(parent context.Context, id int) error {
	ctx, cancel := context.WithCancel(parent)
	if id < 0 {
		log.Fatalf("bad id %d", id)
	}
	if id > 100 {
		os.Exit(2)
	}
	if id == 50 {
		panic("fifty")
	}
	defer cancel()
	return use(ctx)
}

// Not reported: a named result handed back by a bare return.
func named(parent context.Context) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent)
	if ctx == nil {
		return
	}
	return ctx, cancel, nil
}

// Not reported: a closure refers to it (the closure owns it).
func closure(parent context.Context) func() {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	return func() { cancel() }
}

// Not reported: main.main is not main here, but a goto path that calls it.
func gotoPath(parent context.Context, n int) {
	ctx, cancel := context.WithCancel(parent)
	if n > 0 {
		goto out
	}
	_ = use(ctx)
out:
	cancel()
}

// A shadowing local named cancel is not the cancel function.
func shadowed(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // want "not used on all paths"
	{
		cancel := func() {}
		cancel()
	}
	_ = ctx
	return
	cancel() // unreachable: only so that the file type-checks for go vet
}

func use(ctx context.Context) error { return ctx.Err() }

// Helpers of the module that never return end a path as os.Exit does.
func die(msg string) {
	log.Printf("fatal: %s", msg)
	os.Exit(2)
}

type runner struct{}

func (runner) fail(err error) { panic(err) }

func viaHelpers(parent context.Context, id int, j runner) error {
	ctx, cancel := context.WithCancel(parent)
	if id < 0 {
		die("bad id")
	}
	if id > 100 {
		j.fail(errBad)
	}
	defer cancel()
	return use(ctx)
}

// A helper with a defer may return (a deferred recover resumes the caller).
func mayRecover() {
	defer func() { _ = recover() }()
	panic("x")
}

func viaRecover(parent context.Context, id int) error {
	ctx, cancel := context.WithCancel(parent) // want "not used on all paths"
	if id < 0 {
		mayRecover()
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// Not reported: os.Exit ends the process, so the return after it is never
// reached without cancel (the exit is the only thing between them).
func exitFirst(parent context.Context, id int) error {
	ctx, cancel := context.WithCancel(parent)
	if id < 0 {
		os.Exit(2)
		return errBad
	}
	defer cancel()
	return use(ctx)
}
