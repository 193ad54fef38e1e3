package unbounded

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Accept only tries for a slot (a select with default): it never waits,
// so nothing caps the handlers.
type tryListener struct {
	net.Listener
	sem chan struct{}
}

func (l *tryListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	default:
	}
	return l.Listener.Accept()
}

func (l *tryListener) Close() error {
	<-l.sem
	return l.Listener.Close()
}

func tryCapped(inner net.Listener, release chan struct{}) {
	l := &tryListener{Listener: inner, sem: make(chan struct{}, 4)}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want "unbounded-goroutines: .* each waiting on release"
			<-release
			c.Close()
		}()
	}
}

// A wrapper that counts connections but never waits.
type countListener struct {
	net.Listener
	mu sync.Mutex
	n  int
}

func (l *countListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
	return l.Listener.Accept()
}

func counting(inner net.Listener, release chan struct{}) {
	var l net.Listener = &countListener{Listener: inner}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want "each waiting on release"
			<-release
			c.Close()
		}()
	}
}

// The capped listener is built, but the loop accepts on the inner one.
func cappedElsewhere(inner net.Listener, release chan struct{}) {
	capped := slots(inner, 8)
	defer capped.Close()
	for {
		c, err := inner.Accept()
		if err != nil {
			return
		}
		go func() { // want "each waiting on release"
			<-release
			c.Close()
		}()
	}
}

// The deferred close never runs: the loop has no way out.
func deferredForever(l net.Listener) {
	release := make(chan struct{})
	defer close(release)
	for {
		c, _ := l.Accept()
		go func() { // want "each waiting on release"
			<-release
			c.Close()
		}()
	}
}

// Closed on one way out, not the other.
func closedOnOnePath(l net.Listener, limit int) {
	stop := make(chan struct{})
	n := 0
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if n++; n == limit {
			close(stop)
			return
		}
		go func() { // want "each waiting on stop"
			<-stop
			c.Close()
		}()
	}
}

// Closed once, by a timer, while the loop goes on: x/net's test without
// the limit on the listener.
func closedByTimer(l net.Listener, max int) {
	saturated := make(chan struct{})
	var once sync.Once
	open := 0
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if open++; open == max {
			once.Do(func() {
				time.AfterFunc(10*time.Millisecond, func() { close(saturated) })
			})
		}
		go func() { // want "each waiting on saturated"
			<-saturated
			c.Close()
		}()
	}
}

// A channel the function receives as a parameter is not its to close,
// however it defers.
func closedByCaller(l net.Listener, done chan struct{}) {
	defer func() { recover() }()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want "each waiting on done"
			<-done
			c.Close()
		}()
	}
}

// An in-memory listener: Accept receives the connections its Dial sends,
// keeping each -- no token, nothing caps them.

type memListener struct {
	conns chan net.Conn
}

func (l *memListener) Accept() (net.Conn, error) {
	c, ok := <-l.conns
	if !ok {
		return nil, errors.New("closed")
	}
	return c, nil
}

func (l *memListener) Close() error   { close(l.conns); return nil }
func (l *memListener) Addr() net.Addr { return nil }

func (l *memListener) Dial() net.Conn {
	a, b := net.Pipe()
	l.conns <- a
	return b
}

func memServe(l *memListener, release chan struct{}) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want "each waiting on release"
			<-release
			c.Close()
		}()
	}
}
