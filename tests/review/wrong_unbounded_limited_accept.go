// Class: an accept loop over a listener that caps open connections, whose
// goroutines wait on a channel that is closed once, for all of them.
//
// leakhound says (unbounded-goroutines, at the `go` in the accept loop):
// "a goroutine per turn of a loop that does not end, each waiting on
// release, which outlives the turn: they pile up; bound them (a worker
// pool, a semaphore) or let each end".
//
// Wrong twice over. (1) The bound is in the listener: capListener.Accept
// takes a slot of a semaphore before returning a connection and Close of
// the connection gives it back, so at most `max` handler goroutines exist
// at once. The rule looks for the bound in the loop (semaphore, pool,
// WaitGroup wait per turn) and not in the callee that produces the
// turns; a module function whose summary blocks on a channel send before
// returning is a bound. (2) The channel the goroutines wait on is closed
// (here by a time.AfterFunc callback): a close releases every waiter at
// once, so "waits on something that outlives the turn" is not a pile-up
// unless nothing closes it. The rule's "outlives the turn" should exclude
// a channel that the function closes (or hands to code that closes it).
//
// In the corpus: golang.org/x/net/netutil/listen_test.go:164 (accept loop
// over netutil.LimitListener, handlers waiting on `saturated`, closed by
// time.AfterFunc once the limit is reached): the only unbounded-goroutines
// finding.
//
// Fixed (1): the rule follows the listener to its Accept; both this file
// and x/net's test are silent now. (2) stands for a close on every way out
// of the function only: a close in a timer callback may never run.
package review

import (
	"net"
	"sync"
	"time"
)

type capListener struct {
	net.Listener
	sem chan struct{}
}

type capConn struct {
	net.Conn
	once sync.Once
	sem  chan struct{}
}

func (c *capConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { <-c.sem })
	return err
}

func (l *capListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &capConn{Conn: c, sem: l.sem}, nil
}

func capListen(l net.Listener, max int) net.Listener {
	return &capListener{Listener: l, sem: make(chan struct{}, max)}
}

func LimitedAccept(inner net.Listener, max int) {
	l := capListen(inner, max)
	release := make(chan struct{})
	var once sync.Once
	var open int
	var mu sync.Mutex
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		mu.Lock()
		open++
		if open == max {
			once.Do(func() {
				time.AfterFunc(10*time.Millisecond, func() { close(release) })
			})
		}
		mu.Unlock()
		go func() {
			<-release
			c.Write([]byte("hi"))
			c.Close()
		}()
	}
}
