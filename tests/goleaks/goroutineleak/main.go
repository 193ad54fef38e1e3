// Command goroutineleak leaks goroutines the way the seeds describe, one
// pattern per function, next to goroutines that block by design, and serves
// net/http/pprof on 127.0.0.1 so a test can read the runtime's own verdict
// from /debug/pprof/goroutineleak (Go 1.27; Go 1.26 with
// GOEXPERIMENT=goroutineleakprofile).
//
//	goroutineleak -addrfile FILE [-life 60s]
//	goroutineleak -record DIR   (writes goroutineleak.{pb.gz,debug1.txt,debug2.txt})
//
// The runtime calls a goroutine leaked when the GC finds that what it waits
// on (a channel, a WaitGroup, a Mutex) can no longer be reached from any
// goroutine that could wake it. The leaking patterns here drop every
// reference to the primitive once the goroutines are blocked on it; the live
// ones keep theirs (a package variable, a listener) and must never be
// reported.
//
// Markers, grepped by tests/t_runtime_goroutineleak.sh: `// LEAKED <what>:`
// on the line where a leaked goroutine blocks, `// GO <what>:` on the go
// statement that starts it, `// LIVE <what>:` where a live one blocks.
// meta.txt (in -addrfile's directory) lists how many goroutines each
// pattern leaves blocked.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// How many goroutines each pattern leaves behind; distinct, so a group's
// count tells which pattern it is. The pool is bigger than leakhound's
// --min-count: in a plain dump that many idle workers look suspicious, in
// a goroutineleak dump the runtime has cleared them.
const (
	nSend  = 6
	nRecv  = 5
	nRange = 4
	nWait  = 3
	nLock  = 2
	nDeep  = 1
	nPool  = 12
	depth  = 120 // frames under the deep leak: more than a traceback prints
)

// send: the caller stops waiting for the result (it timed out, it
// returned early on an error), and the worker blocks forever on its
// unbuffered send.
func produce(results chan<- int, v int) {
	results <- v * v // LEAKED send:
}

func startSends() {
	for i := 0; i < nSend; i++ {
		results := make(chan int)
		go produce(results, i) // GO send:
	}
}

// receive: a goroutine waits for a reply that nobody will ever send.
func awaitReply(reply <-chan string) {
	fmt.Fprint(discard{}, <-reply) // LEAKED recv:
}

func startReceives() {
	for i := 0; i < nRecv; i++ {
		reply := make(chan string)
		go awaitReply(reply) // GO recv:
	}
}

// range: a consumer ranges over a channel its producer forgot to close.
func consume(events <-chan int) {
	total := 0
	for ev := range events { // LEAKED range:
		total += ev
	}
	fmt.Fprint(discard{}, total)
}

func startRanges() {
	for i := 0; i < nRange; i++ {
		events := make(chan int, 1)
		events <- i
		go consume(events) // GO range:
	}
}

// WaitGroup: Add(1) for a task whose Done is never called (it returned on
// an error path), so Wait never returns.
func waitAll(wg *sync.WaitGroup) {
	wg.Wait() // LEAKED wait:
}

func startWaits() {
	for i := 0; i < nWait; i++ {
		wg := new(sync.WaitGroup)
		wg.Add(1)
		go waitAll(wg) // GO wait:
	}
}

// Mutex: a lock taken and never released (an early return skipped the
// Unlock); the next caller blocks forever. The mutex sits in the struct it
// guards, as mutexes do: a bare new(sync.Mutex) is small enough for the
// runtime's tiny allocator to share its block with live objects, and the
// detector then sees it reachable.
type account struct {
	mu      sync.Mutex
	owner   string
	balance int64
}

func (a *account) deposit(n int64) {
	a.mu.Lock() // LEAKED lock:
	a.balance += n
	a.mu.Unlock()
}

func startLocks() {
	for i := 0; i < nLock; i++ {
		a := &account{owner: fmt.Sprint("acct-", i)}
		a.mu.Lock()
		go a.deposit(1) // GO lock:
	}
}

// deep: a send that blocks far down a recursion, so the dump elides the
// middle of the stack ("...N frames elided...") between the blocking frame
// and the go statement.
//
//go:noinline
func descend(n int, done chan<- int) {
	if n == 0 {
		done <- n // LEAKED deep:
		return
	}
	descend(n-1, done)
}

func startDeep() {
	for i := 0; i < nDeep; i++ {
		done := make(chan int)
		go descend(depth, done) // GO deep:
	}
}

// Live: a goroutine that owns its OS thread (as code calling into C
// libraries with thread-local state does) and waits for the signal to shut
// down on a channel the program keeps.
var quit = make(chan struct{})

func ownThread() {
	runtime.LockOSThread()
	<-quit // LIVE locked:
}

// Live: a worker pool waiting for jobs on a channel the program still holds
// in a package variable. Blocked, but a send can still wake it.
var jobs = make(chan func())

func worker() {
	for job := range jobs { // LIVE pool:
		job()
	}
}

// Every allocation sampled, so the heap profile the test reads always has
// entries (at the default rate this small program may show none).
func init() { runtime.MemProfileRate = 1 }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func main() {
	addrFile := flag.String("addrfile", "", "file to write the server's host:port to")
	life := flag.Duration("life", 60*time.Second, "exit after this long")
	record := flag.String("record", "", "write the goroutineleak profile's three forms into this directory and exit")
	flag.Parse()
	if (*addrFile == "") == (*record == "") {
		fmt.Fprintln(os.Stderr, "usage: goroutineleak -addrfile FILE [-life D] | -record DIR")
		os.Exit(2)
	}

	for i := 0; i < nPool; i++ {
		go worker()
	}
	go ownThread()
	// Labels on the goroutines of one pattern, for the dumps to show
	// (Go 1.27 prints them after the wait reason when tracebacklabels=1,
	// its default for a go 1.27 module; Go 1.26 inside the brackets).
	pprof.Do(context.Background(), pprof.Labels("pattern", "range, never closed", "team", "ingest"),
		func(context.Context) { startRanges() })
	startSends()
	startReceives()
	startWaits()
	startLocks()
	startDeep()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	go func() { fatal(http.Serve(ln, nil)) }() // LIVE accept:

	// Every goroutine started above is blocked before the address appears,
	// so the first request already sees all of them.
	want := 1 + nPool + 1 + nSend + nRecv + nRange + nWait + nLock + nDeep + 1
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() < want && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)

	if *record != "" {
		recordProfiles(*record)
		return
	}
	meta := fmt.Sprintf("go_version=%s\nsend=%d\nrecv=%d\nrange=%d\nwait=%d\nlock=%d\ndeep=%d\npool=%d\nlocked=1\n",
		runtime.Version(), nSend, nRecv, nRange, nWait, nLock, nDeep, nPool)
	if err := os.WriteFile(filepath.Join(filepath.Dir(*addrFile), "meta.txt"), []byte(meta), 0o644); err != nil {
		fatal(err)
	}
	// Written whole under another name and renamed, so a reader polling
	// for the file never sees half an address.
	if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		fatal(err)
	}
	if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
		fatal(err)
	}
	// Exits by itself, so a test that dies cannot leave it behind.
	time.Sleep(*life)
}

// recordProfiles writes what /debug/pprof/goroutineleak serves, in each
// of its forms, as the fixtures of tests/testdata/profiles/go1.N/.
func recordProfiles(dir string) {
	p := pprof.Lookup("goroutineleak")
	if p == nil {
		fatal(fmt.Errorf("%s has no goroutineleak profile (Go 1.26 needs GOEXPERIMENT=goroutineleakprofile)", runtime.Version()))
	}
	for debug, name := range []string{"goroutineleak.pb.gz", "goroutineleak.debug1.txt", "goroutineleak.debug2.txt"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			fatal(err)
		}
		if err := p.WriteTo(f, debug); err != nil {
			fatal(err)
		}
		if err := f.Close(); err != nil {
			fatal(err)
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "goroutineleak:", err)
	os.Exit(1)
}
