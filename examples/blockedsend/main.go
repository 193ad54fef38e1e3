// Command blockedsend fans a value out to subscribers by starting one
// goroutine per send. When a subscriber stops reading, every later send
// blocks forever and its goroutine is never freed.
package main

import (
	"fmt"
	"time"
)

type hub struct {
	subscribers []chan int
}

func (h *hub) publish(v int) {
	for i := range h.subscribers {
		ch := h.subscribers[i]
		go func() {
			ch <- v // LEAK: blocks forever once the subscriber is gone
		}()
	}
}

// publishNonBlocking is the fix: drop the value for a subscriber that is not
// ready instead of parking a goroutine on it.
func (h *hub) publishNonBlocking(v int) {
	for _, ch := range h.subscribers {
		select {
		case ch <- v:
		default:
		}
	}
}

func main() {
	h := &hub{subscribers: []chan int{make(chan int), make(chan int)}}
	go func() {
		// The only reader gives up after the first value.
		fmt.Println(<-h.subscribers[0])
	}()
	for i := 0; ; i++ {
		h.publish(i)
		h.publishNonBlocking(i)
		time.Sleep(10 * time.Millisecond)
	}
}
