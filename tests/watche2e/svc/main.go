// Command svc is a small Go service with one of the seeds' leaks, serving
// net/http/pprof (and expvar's /debug/vars) on a loopback port, for the
// end-to-end tests of `leakhound watch` (tests/t_watch_e2e.sh).
//
//	svc -leak=NAME -addrfile FILE [-life 120s] [-memprofilerate 32768]
//
// NAME is cache, blocked, deferloop, body, subslice or control. The service
// writes its host:port to FILE once it serves, then does its "traffic" at a
// fixed rate of requests per second until -life has passed, and exits.
//
// The leaking line of each scenario carries a marker comment the tests grep
// for instead of hard-coding line numbers: `// LEAK heap:` where the kept
// memory is allocated, `// LEAK block:` where leaked goroutines wait,
// `// LEAK go:` the go statement that starts them, `// LEAK conn:` the call
// whose response body is never closed. The control marks nothing.
package main

import (
	_ "expvar"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sort"
	"time"
)

// A scenario is a service's traffic: setup runs once before the first
// request; step(n) serves the next n requests. rate is requests per second.
type scenario struct {
	rate  int
	setup func()
	step  func(n int)
}

var scenarios = map[string]scenario{}

func register(name string, s scenario) { scenarios[name] = s }

func main() {
	leak := flag.String("leak", "", "scenario")
	addrFile := flag.String("addrfile", "", "file to write host:port to once serving")
	life := flag.Duration("life", 120*time.Second, "exit after this long (a test that dies leaves nothing behind)")
	// Every allocation, not the runtime's default of one per 512 KiB: a few
	// seconds of a leak then show as a line, and a bounded population (the
	// control's cache) is measured exactly. Sampled, it drifts: an object
	// stays sampled while it lives, so successive snapshots share most of
	// their samples and their noise, and a cache that turns over every two
	// seconds walked up 13% in six (a CI run read that as a slow leak).
	rate := flag.Int("memprofilerate", 1, "runtime.MemProfileRate")
	flag.Parse()
	runtime.MemProfileRate = *rate
	s, ok := scenarios[*leak]
	if !ok || *addrFile == "" {
		var names []string
		for n := range scenarios {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: svc -leak=%v -addrfile FILE [-life D]\n", names)
		os.Exit(2)
	}
	if s.setup != nil {
		s.setup()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	go func() { fatal(http.Serve(ln, nil)) }()
	// Written whole under another name and renamed: a reader polling for
	// the file never sees half an address.
	if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		fatal(err)
	}
	if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
		fatal(err)
	}

	// Requests are due at a steady rate of wall-clock time: a loaded
	// machine that delays the loop gets the missed requests in the next
	// turn, so what a leak holds stays proportional to time.
	start := time.Now()
	done := 0
	for time.Since(start) < *life {
		due := int(float64(s.rate) * time.Since(start).Seconds())
		if due > done {
			s.step(due - done)
			done = due
		}
		time.Sleep(10 * time.Millisecond)
	}
	os.Exit(0)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "svc:", err)
	os.Exit(1)
}
