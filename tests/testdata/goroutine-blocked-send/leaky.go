package blocked

import (
	"context"
	"errors"
	"time"
)

var errBad = errors.New("bad")

func fetch(u string) string { return u }

// First answer wins: the other senders block forever.
func fastest(urls []string) string {
	ch := make(chan string)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u) // want "goroutine-blocked-send: goroutine sends on ch \(unbuffered, made on line 15\), but the maker receives from it only once"
	}
	return <-ch
}

// A timeout wins the select: the sender blocks.
func withTimeout(u string) (string, error) {
	ch := make(chan string)
	go func() { // want "the return on line 32 is reached without receiving"
		ch <- fetch(u)
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-time.After(time.Second):
		return "", errBad
	}
}

// ctx.Done() wins.
func withContext(ctx context.Context, u string) (string, error) {
	ch := make(chan string)
	go func() { ch <- fetch(u) }() // want "goroutine-blocked-send"
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// An error return before the receive.
func earlyReturn(u string, check bool) (string, error) {
	errc := make(chan error)
	go func() { errc <- validate(u) }() // want "the return on line 53 is reached without receiving"
	if check {
		return "", errBad
	}
	return u, <-errc
}

func validate(string) error { return nil }

// Nothing receives at all.
func forgotten(u string) {
	done := make(chan bool)
	go func() { // want "nothing receives from it"
		_ = fetch(u)
		done <- true
	}()
}

// A receiving loop that stops at the first error.
func firstError(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func(u string) { errc <- validate(u) }(u) // want "the receiving loop on line 75 can end early"
	}
	for range urls {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Ranging over results and breaking out.
func firstMatch(urls []string, want string) bool {
	res := make(chan string)
	for _, u := range urls {
		go func(u string) { res <- fetch(u) }(u) // want "can end early"
	}
	go func() {
		_ = len(urls)
	}()
	n := 0
	for r := range res {
		n++
		if r == want {
			return true
		}
		if n == len(urls) {
			break
		}
	}
	return false
}

// A named worker function of the package.
func sendTo(out chan<- string, u string) { out <- fetch(u) }

func named(u string, stop bool) string {
	out := make(chan string)
	go sendTo(out, u) // want "the return on line 112 is reached"
	if stop {
		return ""
	}
	return <-out
}

// Two goroutines, one receive.
func two(a, b string) string {
	ch := make(chan string)
	go func() { ch <- fetch(a) }() // want "only once"
	go func() { ch <- fetch(b) }() // want "only once"
	return <-ch
}

// A buffer too small for a loop of senders.
func smallBuffer(urls []string) string {
	ch := make(chan string, 1)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u) // want "the receiving loop on line 131 can end early"
	}
	for i := 0; i < len(urls); i++ {
		if s := <-ch; s != "" {
			return s
		}
	}
	return ""
}

// var form and a select with only the send.
func varForm(u string, quit bool) {
	var ch = make(chan int)
	go func() { // want "goroutine-blocked-send"
		select {
		case ch <- len(u):
		}
	}()
	if quit {
		return
	}
	<-ch
}

// A channel made per turn of a loop, abandoned when the timeout wins.
func perTurn(jobs []string) {
	for _, j := range jobs {
		done := make(chan string)
		go func() { done <- fetch(j) }() // want "goroutine-blocked-send: goroutine sends on done"
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	}
}

// A result field nothing in the package receives from.
type job struct{ result chan error }

func newJob() *job { return &job{result: make(chan error)} }

func (j *job) Start() {
	go func() { j.result <- nil }() // want "goroutine sends on the field job.result, but nothing in the package receives from it"
}

// A buffered field, sent to per turn, never received.
type logger struct{ lines chan string }

func newLogger() *logger { return &logger{lines: make(chan string, 16)} }

func (l *logger) Log(msgs []string) {
	for _, m := range msgs {
		go func() { l.lines <- m }() // want "once its buffer of 16 is full"
	}
}

// The goroutine sends through a helper of the package.
func report(out chan<- error, err error) { out <- err }

func viaHelper(u string, quick bool) error {
	errc := make(chan error)
	go func() { report(errc, validate(u)) }() // want "the return on line 192 is reached without receiving"
	if quick {
		return nil
	}
	return <-errc
}

// Seed 002: "backgrounding" sends to a list of channels in goroutines.
func broadcast(channels []chan int, value int) {
	for i := range channels {
		go func() { channels[i] <- value }() // want "a goroutine per send, fanning out over a collection of channels"
	}
}

type hub struct{ subscribers []chan string }

func (h *hub) publish(v string) {
	for i := range h.subscribers {
		ch := h.subscribers[i]
		go func() { // want "fanning out"
			ch <- v
		}()
	}
}
