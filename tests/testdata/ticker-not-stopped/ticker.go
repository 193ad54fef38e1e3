package ticker

import (
	"context"
	"time"
)

func poll(ctx context.Context) {
	t := time.NewTicker(time.Second) // want "ticker-not-stopped: the ticker or timer from time.NewTicker is not stopped on all paths"
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func timeout(ch <-chan int) int {
	t := time.NewTimer(time.Minute) // want "time.NewTimer is not stopped"
	select {
	case v := <-ch:
		return v
	case <-t.C:
		return 0
	}
}

func earlyReturn(n int) {
	t := time.NewTicker(time.Second) // want "the return on line 32"
	if n < 0 {
		return
	}
	defer t.Stop()
	<-t.C
}

func discarded() {
	time.NewTicker(time.Second) // want "discarded"
}

func reset(d time.Duration, ch <-chan int) {
	t := time.NewTimer(d) // want "not stopped"
	t.Reset(2 * d)
	<-ch
}

func tick(ch chan int) {
	for range time.Tick(time.Second) { // want "time.Tick in a function that returns"
		if len(ch) > 0 {
			return
		}
	}
}

func perCall() <-chan time.Time {
	return time.Tick(time.Minute) // want "time.Tick"
}

func loopTimer(ch <-chan int) {
	for {
		t := time.NewTimer(time.Second) // want "next iteration"
		select {
		case <-ch:
		case <-t.C:
		}
	}
}

// Clean look-alikes.

func stopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func returned() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}

type svc struct{ t *time.Ticker }

func (s *svc) start() {
	s.t = time.NewTicker(time.Second)
}

func kept(s *svc) {
	t := time.NewTicker(time.Second)
	s.t = t
}

func stopEveryPath(ch <-chan int) int {
	t := time.NewTimer(time.Minute)
	select {
	case v := <-ch:
		t.Stop()
		return v
	case <-t.C:
		return 0
	}
}

func forever() {
	for range time.Tick(time.Second) {
		work()
	}
}

var every = time.Tick(time.Hour)

func closure() func() {
	t := time.NewTicker(time.Second)
	return func() { t.Stop() }
}

func work() {}
