package blocked

import "context"

// A send in the body of a select's case runs after that case fired: the
// select's other cases no longer help it.
type forwarder struct {
	ctx    context.Context
	in     chan int
	status chan bool
}

func newForwarder(ctx context.Context) *forwarder {
	return &forwarder{ctx: ctx, in: make(chan int), status: make(chan bool)}
}

func (f *forwarder) once() {
	select {
	case v := <-f.in:
		f.status <- v > 0 // nothing in the package receives from status
	case <-f.ctx.Done():
	}
}

func (f *forwarder) push(v int) {
	f.in <- v
}

func startForwarder(ctx context.Context) *forwarder {
	f := newForwarder(ctx)
	go f.once() // want "goroutine sends on the field forwarder.status, but nothing in the package receives from it"
	return f
}

// The same send as the select's own case, beside cancellation: clean.
type notifier struct {
	ctx  context.Context
	done chan bool
}

func (n *notifier) notify() {
	select {
	case n.done <- true:
	case <-n.ctx.Done():
	}
}

func startNotifier(ctx context.Context) {
	n := &notifier{ctx: ctx, done: make(chan bool)}
	go n.notify()
}
