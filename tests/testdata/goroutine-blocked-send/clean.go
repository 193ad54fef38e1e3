package blocked

import (
	"context"
	"sync"
	"time"
)

// Room for every sender.
func fastestFixed(urls []string) string {
	ch := make(chan string, len(urls))
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	return <-ch
}

// A buffered channel of one for one sender.
func withTimeoutFixed(u string) string {
	ch := make(chan string, 1)
	go func() { ch <- fetch(u) }()
	select {
	case s := <-ch:
		return s
	case <-time.After(time.Second):
		return ""
	}
}

// The send watches ctx.Done().
func withContextFixed(ctx context.Context, u string) (string, error) {
	ch := make(chan string)
	go func() {
		select {
		case ch <- fetch(u):
		case <-ctx.Done():
		}
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// select with default never blocks.
func nonBlocking(u string) {
	ch := make(chan string)
	go func() {
		select {
		case ch <- fetch(u):
		default:
		}
	}()
}

// Every send received: a counted loop with no way out.
func gather(urls []string) []string {
	ch := make(chan string)
	for _, u := range urls {
		go func(u string) { ch <- fetch(u) }(u)
	}
	var out []string
	for range urls {
		out = append(out, <-ch)
	}
	return out
}

// The receiver drains in a deferred func: the channel is handed to a
// closure, whose receives we do not count: not provable.
func drained(u string, stop bool) {
	ch := make(chan string)
	go func() { ch <- fetch(u) }()
	defer func() { <-ch }()
	if stop {
		return
	}
}

// Closed by the sender and ranged to the end.
func producer(n int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}

// The channel is returned: the caller receives.
func handedBack(u string) <-chan string {
	ch := make(chan string)
	go func() { ch <- fetch(u) }()
	return ch
}

// The channel goes to a function we do not analyse.
func handedOn(u string) {
	ch := make(chan string)
	go func() { ch <- fetch(u) }()
	consume(ch)
}

func consume(<-chan string) {}

// A WaitGroup and a buffered channel sized by a constant.
func waited() {
	const n = 4
	ch := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); ch <- i }(i)
	}
	wg.Wait()
}

// One sender, received on every path.
func always(u string, fast bool) string {
	ch := make(chan string)
	go func() { ch <- fetch(u) }()
	if fast {
		return <-ch
	}
	s := <-ch
	return s
}

// A capacity we cannot evaluate: not provable.
func unknownCap(u string, n int) string {
	ch := make(chan string, n)
	go func() { ch <- fetch(u) }()
	return ""
}

// A field channel received from elsewhere in the package.
type worker struct{ out chan int }

func (w *worker) Start() { go func() { w.out <- 1 }() }

func (w *worker) Next() int { return <-w.out }

// One goroutine per turn of the receiving loop, into a buffer of one
// (testify's Eventually): each turn's send has room even when the loop
// returns on a timeout.
func eventually(cond func() bool, timeout <-chan time.Time, tick <-chan time.Time) bool {
	ch := make(chan bool, 1)
	for t := tick; ; {
		select {
		case <-timeout:
			return false
		case <-t:
			t = nil
			go func() { ch <- cond() }()
		case v := <-ch:
			if v {
				return true
			}
			t = tick
		}
	}
}

// Seed 002's fix: a non-blocking send.
func broadcastFixed(channels []chan int, value int) {
	for i := range channels {
		select {
		case channels[i] <- value:
		default:
		}
	}
}

// A goroutine per element that does more than send, or sends in a select.
func fanWork(channels []chan int, value int) {
	for i := range channels {
		go func() {
			select {
			case channels[i] <- value:
			case <-time.After(time.Second):
			}
		}()
	}
}

// Room for every sender, the capacity written as a shift: 1<<2 is 4.
func fourOfFour(u string) string {
	ch := make(chan string, 1<<2)
	for i := 0; i < 4; i++ {
		go func() { ch <- fetch(u) }()
	}
	return <-ch
}
