package noexit

import (
	"context"
	"fmt"
	"net/http"
)

// Seed 003: a worker that loops forever with no way out.
func worker(ch <-chan int) {
	for {
		val := <-ch
		fmt.Println(val)
	}
}

func main() {
	ch := make(chan int)
	go worker(ch) // want "goroutine-no-exit: goroutine waits on ch \(made on line 18\), which nothing sends on or closes"
}

func startWorker(jobs <-chan int) {
	go worker(jobs) // want "goroutine loops forever \(loop on line 11\) receiving with no way out"
}

// A literal worker with a select that has no way out either.
func handler(w http.ResponseWriter, r *http.Request, in <-chan string) {
	go func() { // want "loops forever"
		for {
			select {
			case s := <-in:
				fmt.Println(s)
			}
		}
	}()
}

// Ranging over a channel that nothing closes.
func sum(xs []int) {
	ch := make(chan int)
	go func() { // want "goroutine ranges over ch \(made on line 40\), which nothing closes"
		total := 0
		for v := range ch {
			total += v
		}
		fmt.Println(total)
	}()
	for _, x := range xs {
		ch <- x
	}
}

// Waiting on a done channel nobody closes.
func cleanup(res *http.Response) {
	done := make(chan struct{})
	go func() { // want "waits on done"
		<-done
		res.Body.Close()
	}()
}

// A consumer started per call that ranges over a never-closed channel.
func process(items []string) {
	q := make(chan string, len(items))
	go consumeAll(q) // want "ranges over q"
	for _, it := range items {
		q <- it
	}
}

func consumeAll(q <-chan string) {
	for s := range q {
		fmt.Println(s)
	}
}

// Two goroutines: the second waits on a channel the first only receives from.
func pair() {
	a := make(chan int)
	go func() { <-a }() // want "waits on a"
	go func() { <-a }() // want "waits on a"
}

// Forever loop receiving from a captured channel: forever-loop finding.
func pump(src <-chan []byte, dst chan<- []byte) {
	go func() { // want "loops forever"
		for {
			b := <-src
			dst <- b
		}
	}()
}

// A ctx case that does not return is no way out.
func deaf(ctx context.Context, in <-chan int) {
	go func() { // want "loops forever"
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			case <-ctx.Done():
				fmt.Println("ignored")
			}
		}
	}()
}

// Operations that can never complete.
func nilRecv() {
	go func() { // want "goroutine blocks forever on line 112: a receive from a nil channel"
		var c chan int
		<-c
	}()
}

func nilSend() {
	go func() { // want "a send on a nil channel"
		var c chan int
		c <- 1
	}()
}

func freshRecv() {
	go func() { // want "a receive from a channel nobody else has"
		<-make(chan int)
	}()
}

func emptySelect() {
	go func() { // want "select \{\}"
		select {}
	}()
}

// A channel kept in an unexported field that nothing in the package
// sends on or closes: the loop started by Start never ends.
type monitor struct {
	events chan string
	quit   chan struct{}
}

func newMonitor() *monitor {
	return &monitor{events: make(chan string), quit: make(chan struct{})}
}

func (m *monitor) Start() {
	go m.loop() // want "goroutine waits on the field monitor.quit, which nothing in the package sends on or closes"
}

func (m *monitor) loop() {
	<-m.quit
}

type feed struct{ items chan int }

func (f *feed) run() {
	go func() { // want "ranges over the field feed.items, which nothing in the package closes"
		for it := range f.items {
			_ = it
		}
	}()
}

func (f *feed) add(n int) { f.items <- n }


// A select with a single case is a plain receive: it waits as long.
func selectOne() {
	ready := make(chan struct{})
	go func() { // want "waits on ready"
		select {
		case <-ready:
		}
	}()
}
