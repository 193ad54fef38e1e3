// Package main: main.main is not checked (its return ends the process).
package main

import (
	"context"
	"time"
)

// vet: nothing, main.main.
func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	if ctx.Err() != nil {
		return
	}
	defer cancel()
	helper(ctx)
	// vet: reported, a literal inside main.main is a function of its own.
	go func() {
		c2, stop := context.WithCancel(ctx)
		if c2.Err() != nil {
			return
		}
		stop()
	}()
	var s srv
	s.main(ctx)
}

// vet: reported, init is checked.
func init() {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx.Err() != nil {
		return
	}
	cancel()
}

// vet: reported, any other function of package main.
func helper(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	if ctx.Err() != nil {
		return
	}
	cancel()
}

type srv struct{}

// vet: reported, a method named main is not main.main.
func (srv) main(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	_ = ctx
}

// vet: reported, a literal inside main.main is its own function.
var _ = func() {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx.Err() != nil {
		return
	}
	cancel()
}
