package unbounded

import (
	"errors"
	"net"
	"sync"
	"time"

	"go.etcd.io/etcd/pkg/transport"
	"golang.org/x/net/netutil"
)

// Accept waits for a free slot: at most cap(sem) connections are open, so
// at most that many handlers wait on release, whoever closes it.

type slotListener struct {
	net.Listener
	sem chan struct{}
}

type slotConn struct {
	net.Conn
	once sync.Once
	sem  chan struct{}
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { <-c.sem })
	return err
}

func (l *slotListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &slotConn{Conn: c, sem: l.sem}, nil
}

func slots(l net.Listener, n int) net.Listener {
	if n <= 0 {
		return nil
	}
	return &slotListener{Listener: l, sem: make(chan struct{}, n)}
}

// Built by a constructor returning a net.Listener.
func capped(inner net.Listener, release chan struct{}) {
	l := slots(inner, 8)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-release
			c.Close()
		}()
	}
}

// The wrapper's own type.
func cappedTyped(l *slotListener, release chan struct{}) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-release
			c.Close()
		}()
	}
}

// Known limiting wrappers, reassigned as x/net's test does.
func netutilLimited(release chan struct{}) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return
	}
	l = netutil.LimitListener(l, 4)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				break
			}
			go func() {
				<-release
				c.Close()
			}()
		}
	}()
}

func etcdLimited(inner net.Listener, release chan struct{}) {
	l := transport.LimitListener(inner, 4)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-release
			c.Close()
		}()
	}
}

// A helper acquires (or gives up when the listener closes); the
// connection gets the release as a method value.

type doneListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{}
}

type releaseConn struct {
	net.Conn
	release func()
}

func (c *releaseConn) Close() error {
	c.release()
	return c.Conn.Close()
}

func (l *doneListener) acquire() bool {
	select {
	case <-l.done:
		return false
	case l.sem <- struct{}{}:
		return true
	}
}

func (l *doneListener) release() { <-l.sem }

func (l *doneListener) Accept() (net.Conn, error) {
	if !l.acquire() {
		return nil, errors.New("closed")
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.release()
		return nil, err
	}
	return &releaseConn{Conn: c, release: l.release}, nil
}

func helperLimited(inner net.Listener, quit chan struct{}) {
	var l net.Listener = &doneListener{Listener: inner, sem: make(chan struct{}, 2), done: make(chan struct{})}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-quit
			c.Close()
		}()
	}
}

// The function closes the channel on its way out: every handler it
// started is released when the loop ends.
func deferredClose(l net.Listener) {
	release := make(chan struct{})
	defer close(release)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-release
			c.Close()
		}()
	}
}

func closedOnEveryPath(l net.Listener, limit int) int {
	stop := make(chan struct{})
	n := 0
	for {
		c, err := l.Accept()
		if err != nil {
			close(stop)
			return n
		}
		if n++; n == limit {
			close(stop)
			return n
		}
		go func() {
			<-stop
			c.Close()
		}()
	}
}

func deferredLiteral(l net.Listener) {
	quit := make(chan struct{})
	defer func() {
		close(quit)
		time.Sleep(time.Millisecond)
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-quit
			c.Close()
		}()
	}
}

// A token pool: the channel is filled up front, Accept takes a token out
// (waiting while none is left) and the connection's Close puts it back.

type poolListener struct {
	net.Listener
	tokens chan struct{}
}

type poolConn struct {
	net.Conn
	once   sync.Once
	tokens chan struct{}
}

func (c *poolConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.tokens <- struct{}{} })
	return err
}

func (l *poolListener) Accept() (net.Conn, error) {
	<-l.tokens
	c, err := l.Listener.Accept()
	if err != nil {
		l.tokens <- struct{}{}
		return nil, err
	}
	return &poolConn{Conn: c, tokens: l.tokens}, nil
}

func pooled(inner net.Listener, n int) *poolListener {
	l := &poolListener{Listener: inner, tokens: make(chan struct{}, n)}
	for i := 0; i < n; i++ {
		l.tokens <- struct{}{}
	}
	return l
}

func poolCapped(inner net.Listener, release chan struct{}) {
	l := pooled(inner, 8)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			<-release
			c.Close()
		}()
	}
}

// The token taken in a select that also watches for shutdown.
type quitPool struct {
	net.Listener
	free chan bool
	quit chan struct{}
}

func (l *quitPool) Accept() (net.Conn, error) {
	select {
	case <-l.free:
	case <-l.quit:
		return nil, errors.New("closed")
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.free <- true
	}
	return c, err
}

func (l *quitPool) done() { l.free <- true }

func quitCapped(l *quitPool, release chan struct{}) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer l.done()
			<-release
			c.Close()
		}()
	}
}
