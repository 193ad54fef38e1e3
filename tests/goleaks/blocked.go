package main

// Seeds 002 and 003: a hub "backgrounds" each send to a subscriber in its own
// goroutine so publish never waits. One subscriber has gone away; every send
// to it blocks forever, and the goroutine and the event it holds are never
// freed.

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

const eventPayloadSize = 2048

type event struct {
	seq     int
	payload []byte
}

type hub struct {
	// Deliveries under way: the metric that would show this leak. First in
	// the struct so 32-bit platforms align it for the atomic operations.
	pending     int64
	subscribers []chan event
}

func newEvent(seq int) event {
	payload := make([]byte, eventPayloadSize) // LEAK heap: pinned by the goroutine blocked sending it
	payload[0] = byte(seq)
	return event{seq: seq, payload: payload}
}

func (h *hub) publish(ev event) {
	for _, ch := range h.subscribers {
		go h.deliver(ch, ev) // LEAK go: one goroutine per send, nobody waits for it
	}
}

func (h *hub) deliver(ch chan<- event, ev event) {
	atomic.AddInt64(&h.pending, 1)
	ch <- ev // LEAK block: blocks forever once the subscriber stopped reading
	atomic.AddInt64(&h.pending, -1)
}

// subscriber reads events until it has seen limit of them (limit < 0: no
// limit), then returns without telling the hub, as a disconnecting client does.
// received lets the driver wait until the live subscriber has caught up, so the
// goroutines left in the snapshot are exactly the blocked ones.
func subscriber(ch <-chan event, limit int, received *sync.WaitGroup) {
	for n := 0; limit < 0 || n < limit; n++ {
		<-ch
		received.Done()
	}
}

var (
	theHub    *hub
	published int
	liveRecv  sync.WaitGroup
	goneRecv  sync.WaitGroup
)

func init() {
	register("blocked", scenario{
		setup: func() {
			live, gone := make(chan event), make(chan event)
			theHub = &hub{subscribers: []chan event{live, gone}}
			goneRecv.Add(1)
			go subscriber(live, -1, &liveRecv)
			go subscriber(gone, 1, &goneRecv)
		},
		rate: 100,
		round: func(r, n int) {
			liveRecv.Add(n)
			for i := 0; i < n; i++ {
				theHub.publish(newEvent(published))
				published++
			}
			liveRecv.Wait()
			goneRecv.Wait()
			// Every sender to the departed subscriber has reached its send,
			// so the dumps count them exactly however loaded the machine is.
			for atomic.LoadInt64(&theHub.pending) != int64(published-1) {
				runtime.Gosched()
			}
		},
		// The departed subscriber took, and dropped, exactly one event.
		leakBytes: func() int { return (published - 1) * eventPayloadSize },
		facts: func() map[string]string {
			return map[string]string{
				"published":       strconv.Itoa(published),
				"blocked_senders": strconv.Itoa(published - 1),
				"leak_function":   "main.newEvent",
				"block_function":  "main.(*hub).deliver",
				"go_function":     "main.(*hub).publish",
			}
		},
	})
}
