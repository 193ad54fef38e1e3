// Methods, value and pointer receivers.
package lostcancel

import (
	"context"
	"time"
)

type server struct {
	base   context.Context
	cancel context.CancelFunc
}

// vet: reported, early return in a pointer method.
func (s *server) handle(n int) error {
	ctx, cancel := context.WithTimeout(s.base, time.Second)
	if n < 0 {
		return errBad
	}
	defer cancel()
	return use(ctx)
}

// vet: clean, stored in the receiver.
func (s *server) start() {
	s.base, s.cancel = context.WithCancel(context.Background())
}

// vet: reported, value receiver, discarded.
func (s server) child() context.Context {
	ctx, _ := context.WithCancel(s.base)
	return ctx
}

// vet: reported, a method named main is checked even in package main (see
// mainpkg); here a plain method named main.
func (s server) main() {
	ctx, cancel := context.WithCancel(s.base)
	if ctx.Err() == nil {
		cancel()
	}
}
