// A command whose listener is closed by net/http, not by its own code:
// Server.Shutdown calls the listener's Close through net.Listener, so no
// ".Close" appears in the package, and yet Close runs and ends the
// goroutine waiting on done.
package main

import (
	"context"
	"log"
	"net"
	"net/http"
	"time"
)

type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	close(l.done)
	return nil
}

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{} }

func newListener() *chanListener {
	l := &chanListener{conns: make(chan net.Conn), done: make(chan struct{})}
	go func() {
		<-l.done
		log.Print("listener closed")
	}()
	return l
}

func main() {
	l := newListener()
	srv := &http.Server{}
	go srv.Serve(l)
	time.Sleep(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv.Shutdown(ctx)
}
