package unbounded

import (
	"context"
	"net"
	"sync"
	"time"
)

// Seed 001 fixed: each job ends when its work is done.
func runJobsFixed() {
	for {
		go func() {
			bigSlice := make([]byte, 1_000_000_000)
			_ = bigSlice
		}()
		time.Sleep(10 * time.Second)
	}
}

// A server accept loop handing connections to goroutines that end.
func acceptLoop(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go handle(c)
	}
}

func handle(c net.Conn) { defer c.Close() }

// A semaphore bounds them.
func bounded(cancel <-chan struct{}) {
	sem := make(chan struct{}, 8)
	for {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			<-cancel
		}()
	}
}

// A WaitGroup wait per turn.
func perTurn(cancel <-chan struct{}) {
	var wg sync.WaitGroup
	for {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-cancel:
			case <-time.After(time.Second):
			}
		}()
		wg.Wait()
	}
}

// A bounded loop over input.
func overInput(items []int, cancel <-chan struct{}) {
	for range items {
		go func() { <-cancel }()
	}
}

// A loop whose condition changes.
func counted(n int, cancel <-chan struct{}) {
	for i := 0; i < n; i++ {
		go func() { <-cancel }()
	}
}

// The goroutine waits on a channel made in its own turn.
func ownChannel() {
	for {
		done := make(chan bool, 1)
		go func() { <-done }()
		done <- true
		time.Sleep(time.Second)
	}
}

// ctx.Done() through a select with a default.
func withDefault(ctx context.Context) {
	for {
		go func() {
			select {
			case <-ctx.Done():
			default:
			}
		}()
		time.Sleep(time.Second)
	}
}

// A loop that ends on a context check.
func untilDone(ctx context.Context, cancel <-chan struct{}) {
	for ctx.Err() == nil {
		go func() { <-cancel }()
		time.Sleep(time.Second)
	}
}

// A worker pool: a fixed number of goroutines.
func pool(jobs <-chan int) {
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				_ = j
			}
		}()
	}
}

// A semaphore taken before each start: at most its size run at once.
type slots struct{ ch chan struct{} }

func (s *slots) Acquire() { s.ch <- struct{}{} }
func (s *slots) Release() { <-s.ch }

func boundedBySlots(s *slots, quit chan struct{}) {
	for {
		s.Acquire()
		go func() {
			defer s.Release()
			<-quit
		}()
	}
}

// Each goroutine only looks at quit (a select with a default) and ends.
func pollQuit(quit chan struct{}) {
	for {
		go func() {
			select {
			case <-quit:
			default:
			}
		}()
		time.Sleep(time.Second)
	}
}
