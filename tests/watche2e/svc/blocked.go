package main

// Seed 002, leak 2: an event is fanned out to every subscriber by one
// goroutine per send, so a slow subscriber cannot hold up the publisher.
// When a subscriber stops reading (its client went away), every later send
// to it blocks forever, and each publish leaves one more goroutine behind.

import "sync"

type event struct {
	seq  int
	kind string
}

type hub struct {
	mu   sync.Mutex
	subs []chan event
}

func (h *hub) subscribe() chan event {
	ch := make(chan event)
	h.mu.Lock()
	h.subs = append(h.subs, ch)
	h.mu.Unlock()
	return ch
}

func (h *hub) publish(ev event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range h.subs {
		ch := h.subs[i]
		go func() { // LEAK go: one goroutine per send
			ch <- ev // LEAK block: blocks forever once the subscriber has left
		}()
	}
}

func init() {
	h := &hub{}
	seq := 0
	register("blocked", scenario{
		rate: 150,
		setup: func() {
			for i := 0; i < 3; i++ {
				ch := h.subscribe()
				quitAfter := -1
				if i == 2 {
					quitAfter = 5 // this client disconnects early
				}
				go func() {
					for n := 0; n != quitAfter; n++ {
						<-ch
					}
				}()
			}
		},
		step: func(n int) {
			for i := 0; i < n; i++ {
				seq++
				h.publish(event{seq: seq, kind: "price"})
			}
		},
	})
}
