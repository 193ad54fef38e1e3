// Calls that never return end a path: no leak there.
package lostcancel

import (
	"context"
	"log"
	"os"
	"runtime"
	"syscall"

	"example.com/vetcases/lostcancel/die"
)

// vet: clean, the other paths panic, exit or log.Fatal: the returns after
// them are unreachable.
func rPanicExitFatal(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	switch {
	case n < 0:
		panic("negative")
		return errBad
	case n == 0:
		os.Exit(2)
		return errBad
	case n == 1:
		log.Fatalf("one: %d", n)
		return errBad
	case n == 2:
		log.Fatalln("two")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, log.Panicf never returns (it panics).
func rLogPanic(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		log.Panicf("negative %d", n)
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, runtime.Goexit never returns.
func rGoexit(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n == 0 {
		runtime.Goexit()
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, syscall.Exit never returns.
func rSyscallExit(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n == 1 {
		syscall.Exit(1)
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, a *log.Logger's Fatal never returns.
func rLoggerFatal(parent context.Context, l *log.Logger, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		l.Fatal("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

func fatal(msg string) {
	log.Print(msg)
	os.Exit(1)
}

func (j *job) fail(msg string) {
	panic(msg + j.ctx.Err().Error())
}

// vet: clean, a function of this package that never returns.
func rLocalNoReturn(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		fatal("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, a method that never returns.
func rMethodNoReturn(parent context.Context, j *job, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		j.fail("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, a function of another package that never returns (a fact).
func rOtherPackageNoReturn(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		die.Now("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: reported, die.Deferred has a defer, so vet's ctrlflow assumes it may
// return (a deferred call could recover): the return after it is reachable.
func rDeferredExit(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		die.Deferred("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

type fataler interface{ Fatal(args ...any) }

// vet: reported, Fatal through an interface may return: the return after it
// is reachable.
func rInterfaceFatal(parent context.Context, f fataler, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		f.Fatal("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

type quietLog struct{}

func (quietLog) Fatal(args ...any) {}

// vet: reported, a local named log whose Fatal returns.
func rShadowedLog(parent context.Context, n int) error {
	log := quietLog{}
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		log.Fatal("negative")
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, the function ends in panic.
func rEndsInPanic(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	if ctx == nil {
		cancel()
		return
	}
	panic("unreachable")
}

// vet: reported, go panic(...) ends another goroutine, not this path.
func rPanicInGo(parent context.Context, n int) error {
	ctx, cancel := context.WithCancel(parent)
	if n < 0 {
		go panic("elsewhere")
		return errBad
	}
	defer cancel()
	return use(ctx)
}
