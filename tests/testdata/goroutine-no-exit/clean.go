package noexit

import (
	"context"
	"fmt"
	"sync"
)

// The worker ends when the channel is closed.
func workerFixed(ch <-chan int) {
	for {
		val, ok := <-ch
		if !ok {
			return
		}
		fmt.Println(val)
	}
}

func startFixed(jobs <-chan int) {
	go workerFixed(jobs)
}

// Ended by ctx.Done().
func withCtx(ctx context.Context, in <-chan int) {
	go func() {
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// The sender closes the channel.
func sumFixed(xs []int) {
	ch := make(chan int)
	go func() {
		total := 0
		for v := range ch {
			total += v
		}
		fmt.Println(total)
	}()
	for _, x := range xs {
		ch <- x
	}
	close(ch)
}

// Closed by a deferred close in the producer goroutine.
func pipeline(xs []int) {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
}

// The done channel is closed.
func cleanupFixed() {
	done := make(chan struct{})
	go func() {
		<-done
		fmt.Println("done")
	}()
	close(done)
}

// Something sends.
func oneShot() {
	ready := make(chan bool)
	go func() { <-ready }()
	ready <- true
}

// The channel is handed on: whoever gets it may close it.
func handed() chan int {
	ch := make(chan int)
	go func() {
		for range ch {
		}
	}()
	return ch
}

// A range loop that breaks out.
func breaks() {
	ch := make(chan int)
	go func() {
		for v := range ch {
			if v > 3 {
				break
			}
		}
	}()
	ch <- 1
}

// A loop with a select default: it spins, but never blocks forever on a receive.
func spin(in <-chan int, wg *sync.WaitGroup) {
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			select {
			case <-in:
			default:
			}
		}
	}()
}

// A function of another package: not followed.
func external() {
	go fmt.Println("x")
}

// A nil channel in a select with other cases only disables that case.
func nilCase(in <-chan int) {
	go func() {
		var stop chan bool
		select {
		case <-stop:
		case <-in:
		}
	}()
}

// A channel variable assigned before use is not nil.
func assignedLater(in chan int) {
	go func() {
		var c chan int
		c = in
		<-c
	}()
}

// A field channel closed by Stop.
type service struct{ done chan struct{} }

func (s *service) Start() { go s.wait() }

func (s *service) wait() { <-s.done }

func (s *service) Stop() { close(s.done) }

// An exported field: other packages may close it.
type Public struct{ Done chan struct{} }

func (p *Public) Start() { go func() { <-p.Done }() }

// A field set from a parameter: whoever made it may close it.
type relay struct{ in chan int }

func newRelay(in chan int) *relay { return &relay{in: in} }

func (r *relay) Start() {
	go func() {
		for v := range r.in {
			_ = v
		}
	}()
}


// The channel closed by a closure handed to the goroutine's function.
type server struct{}

func (server) serve(h func()) { h() }

func closedByHandler() {
	done := make(chan struct{})
	go server{}.serve(func() { close(done) })
	go func() { <-done }()
}
