// Command clean is the look-alike of leaky: the same shapes with the fix
// the rules' fixtures call clean (room for every send, the send in a select
// with ctx.Done(), the channel closed, every value received), run so that
// each goroutine has either ended or waits on a channel something live
// still holds (a package variable) when the profile is taken. Neither
// `leakhound scan` nor the runtime's goroutineleak profile may report
// anything here; tests/t_runtime_agree.sh checks both.
//
//	clean -addrfile FILE [-life 120s]
//
// `// CLEAN <shape>` marks each go statement; meta.txt says how many of its
// goroutines are still there, blocked but live, when the program serves.
package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"leakhound.test/agree/internal/harness"
)

// gate holds senders until their maker has given up, as in leaky.
var gate = make(chan struct{})

func fetch(u string) string {
	<-gate
	return u
}

var sink int

func use(s string) { sink += len(s) }

var urls = []string{"a", "b", "c", "d"}

// ---- goroutine-blocked-send look-alikes ----

// Room for every sender.
func fastestFixed(urls []string) string {
	ch := make(chan string, len(urls))
	for _, u := range urls {
		go func(u string) { ch <- u }(u) // CLEAN room-for-all
	}
	return <-ch
}

// A buffer of one for one sender whose maker times out.
func withTimeoutFixed(u string) string {
	ch := make(chan string, 1)
	go func() { ch <- fetch(u) }() // CLEAN timeout-buffered
	select {
	case s := <-ch:
		return s
	case <-time.After(time.Millisecond):
		return ""
	}
}

// The send watches ctx.Done().
func withContextFixed(ctx context.Context, u string) (string, error) {
	ch := make(chan string)
	go func() { // CLEAN send-or-done
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

// A select with a default never blocks.
func nonBlocking(u string) {
	ch := make(chan string)
	go func() { // CLEAN send-default
		select {
		case ch <- u:
		default:
		}
	}()
}

// Every send received.
func gather(urls []string) []string {
	ch := make(chan string)
	for _, u := range urls {
		go func(u string) { ch <- u }(u) // CLEAN gather-all
	}
	var out []string
	for range urls {
		out = append(out, <-ch)
	}
	return out
}

// Closed by the sender and ranged to the end.
func producer(n int) int {
	ch := make(chan int)
	go func() { // CLEAN close-and-range
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

// The channel is returned: the caller keeps it (pending), so the sender
// waits, blocked but live.
func handedBack(u string) <-chan string {
	ch := make(chan string)
	go func() { ch <- u }() // CLEAN handed-back
	return ch
}

var pending <-chan string

// A WaitGroup and a buffer sized by a constant.
func waited() {
	const n = 4
	ch := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); ch <- i }(i) // CLEAN waitgroup-buffered
	}
	wg.Wait()
}

// One sender, received on every path.
func always(u string, fast bool) string {
	ch := make(chan string)
	go func() { ch <- u }() // CLEAN received-every-path
	if fast {
		return <-ch
	}
	s := <-ch
	return s
}

// A field channel received from elsewhere in the package.
type worker struct{ out chan int }

func (w *worker) Start() { go func() { w.out <- 1 }() } // CLEAN field-received

func (w *worker) Next() int { return <-w.out }

// One goroutine per turn of the receiving loop, into a buffer of one
// (testify's Eventually).
func eventually(cond func() bool, timeout <-chan time.Time, tick <-chan time.Time) bool {
	ch := make(chan bool, 1)
	for t := tick; ; {
		select {
		case <-timeout:
			return false
		case <-t:
			t = nil
			go func() { ch <- cond() }() // CLEAN eventually
		case v := <-ch:
			if v {
				return true
			}
			t = tick
		}
	}
}

// ---- goroutine-no-exit look-alikes ----

// The worker ends when the channel is closed.
func workerFixed(ch <-chan int) {
	for {
		val, ok := <-ch
		if !ok {
			return
		}
		sink += val
	}
}

func startFixed() {
	jobs := make(chan int)
	go workerFixed(jobs) // CLEAN closed-check
	jobs <- 1
	close(jobs)
}

// Ended by ctx.Done().
func withCtx(ctx context.Context, in <-chan int) {
	go func() { // CLEAN ctx-returns
		for {
			select {
			case v := <-in:
				sink += v
			case <-ctx.Done():
				return
			}
		}
	}()
}

// The sender closes the channel.
func sumFixed(xs []int) {
	ch := make(chan int)
	go func() { // CLEAN range-closed
		total := 0
		for v := range ch {
			total += v
		}
		sink += total
	}()
	for _, x := range xs {
		ch <- x
	}
	close(ch)
}

// Closed by a deferred close in the producer goroutine.
func pipeline(xs []int) {
	ch := make(chan int)
	go func() { // CLEAN pipeline-producer
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	go func() { // CLEAN pipeline-consumer
		for v := range ch {
			sink += v
		}
	}()
}

// The done channel is closed.
func cleanupFixed() {
	done := make(chan struct{})
	go func() { // CLEAN done-closed
		<-done
		use("done")
	}()
	close(done)
}

// Something sends.
func oneShot() {
	ready := make(chan bool)
	go func() { <-ready }() // CLEAN one-shot
	ready <- true
}

// A range loop that breaks out on the value it gets.
func breaks() {
	ch := make(chan int)
	go func() { // CLEAN range-breaks
		for v := range ch {
			if v > 3 {
				break
			}
		}
	}()
	ch <- 5
}

// A nil channel in a select with another case only disables that case.
func nilCase(in <-chan int) {
	go func() { // CLEAN nil-case
		var stop chan bool
		select {
		case <-stop:
		case <-in:
		}
	}()
}

// A channel variable assigned before use is not nil.
func assignedLater(in chan int) {
	go func() { // CLEAN assigned-later
		var c chan int
		c = in
		<-c
	}()
}

// A field channel closed by Stop: one service stopped, one kept running
// in a package variable (blocked but live).
type service struct{ done chan struct{} }

func newService() *service { return &service{done: make(chan struct{})} }

func (s *service) Start() { go s.wait() } // CLEAN field-closed-by-stop

func (s *service) wait() { <-s.done }

func (s *service) Stop() { close(s.done) }

var running *service

// An exported field: other packages may close it (here: main does).
type Public struct{ Done chan struct{} }

func (p *Public) Start() { go func() { <-p.Done }() } // CLEAN exported-field

// A field set from a parameter: whoever made it closes it.
type relay struct{ in chan int }

func newRelay(in chan int) *relay { return &relay{in: in} }

func (r *relay) Start() {
	go func() { // CLEAN field-from-parameter
		for v := range r.in {
			sink += v
		}
	}()
}

// ---- unbounded-goroutines look-alikes ----

// turns bounds the endless loops, as in leaky.
const turns = 3

type stopLoop struct{}

func pace(turn *int) {
	*turn++
	if *turn == turns {
		panic(stopLoop{})
	}
}

func bounded(loop func()) {
	defer func() {
		if r := recover(); r != nil && r != (stopLoop{}) {
			panic(r)
		}
	}()
	loop()
}

// Seed 001 fixed: each job ends when its work is done.
func runJobsFixed() {
	turn := 0
	for {
		go func() { // CLEAN seed-001-fixed
			bigSlice := make([]byte, 1<<20)
			sink += len(bigSlice)
		}()
		pace(&turn)
	}
}

// A semaphore bounds them.
func semaphore(cancel <-chan struct{}) {
	sem := make(chan struct{}, 8)
	turn := 0
	for {
		sem <- struct{}{}
		go func() { // CLEAN semaphore
			defer func() { <-sem }()
			<-cancel
		}()
		pace(&turn)
	}
}

// The goroutine waits on a channel made in its own turn.
func ownChannel() {
	turn := 0
	for {
		done := make(chan bool, 1)
		go func() { <-done }() // CLEAN own-channel
		done <- true
		pace(&turn)
	}
}

// A worker pool: a fixed number of goroutines on a queue the program
// keeps (jobs), idle, blocked but live.
var jobs = make(chan int)

func pool(jobs <-chan int) {
	for i := 0; i < 4; i++ {
		go func() { // CLEAN pool
			for j := range jobs {
				sink += j
			}
		}()
	}
}

// shape: one look-alike, how many of its goroutines are still there
// (blocked but live) when the program serves, and what runs it.
type shape struct {
	name string
	live int
	run  func()
}

func main() {
	flag.Parse()
	done, cancel := context.WithCancel(context.Background())
	cancel() // the ctx.Done() cases are ready at once
	closed := make(chan int)
	close(closed)
	shapes := []shape{
		{"room-for-all", 0, func() { use(fastestFixed(urls)) }},
		{"timeout-buffered", 0, func() { use(withTimeoutFixed("u")) }},
		{"send-or-done", 0, func() { _, _ = withContextFixed(done, "u") }},
		{"send-default", 0, func() { nonBlocking("u") }},
		{"gather-all", 0, func() { _ = gather(urls) }},
		{"close-and-range", 0, func() { sink += producer(3) }},
		{"handed-back", 1, func() { pending = handedBack("u") }},
		{"waitgroup-buffered", 0, waited},
		{"received-every-path", 0, func() { use(always("u", false)) }},
		{"field-received", 0, func() { w := &worker{out: make(chan int)}; w.Start(); sink += w.Next() }},
		{"eventually", 0, func() {
			tick := make(chan time.Time, 1)
			tick <- time.Now()
			_ = eventually(func() bool { return true }, nil, tick)
		}},
		{"closed-check", 0, startFixed},
		{"ctx-returns", 0, func() { withCtx(done, nil) }},
		{"range-closed", 0, func() { sumFixed([]int{1, 2, 3}) }},
		{"pipeline-producer", 0, nil},
		{"pipeline-consumer", 0, func() { pipeline([]int{1, 2, 3}) }},
		{"done-closed", 0, cleanupFixed},
		{"one-shot", 0, oneShot},
		{"range-breaks", 0, breaks},
		{"nil-case", 0, func() { nilCase(closed) }},
		{"assigned-later", 0, func() { assignedLater(closed) }},
		{"field-closed-by-stop", 1, func() {
			s := newService()
			s.Start()
			s.Stop()
			running = newService()
			running.Start()
		}},
		{"exported-field", 0, func() { p := &Public{Done: make(chan struct{})}; p.Start(); close(p.Done) }},
		{"field-from-parameter", 0, func() { in := make(chan int); newRelay(in).Start(); in <- 1; close(in) }},
		{"seed-001-fixed", 0, func() { bounded(runJobsFixed) }},
		{"semaphore", 0, func() { cancel := make(chan struct{}); close(cancel); bounded(func() { semaphore(cancel) }) }},
		{"own-channel", 0, func() { bounded(ownChannel) }},
		{"pool", 4, func() { pool(jobs) }},
	}
	var meta strings.Builder
	for _, s := range shapes {
		if s.run != nil {
			s.run()
		}
		fmt.Fprintf(&meta, "%s=%d\n", s.name, s.live)
	}
	close(gate)
	harness.Settle()
	harness.Serve(meta.String())
}
