// Command timers shows what the go line of go.mod does to timers nobody
// stops. Until Go 1.23 a running timer or ticker is referenced by the
// runtime's timer heap until it fires (a ticker: forever), so one dropped
// without Stop stays in memory with its channel. From Go 1.23 -- when the
// main module's go line says 1.23 or later; older go lines keep the old
// behaviour through the GODEBUG default asynctimerchan=1 -- the runtime
// holds unreferenced timers no longer, and the collector frees them. This
// is what leakhound's rules ticker-not-stopped and time-after-in-loop
// depend on: they fire only for go < 1.23.
//
//	timers -out heap.pb.gz [-n 20000]
//
// It creates n unstopped tickers and n time.After timers, drops them,
// collects twice, writes the heap profile (every allocation sampled) and
// prints "heap_alloc=BYTES" after the collections.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func init() { runtime.MemProfileRate = 1 }

// A poller that makes a ticker per call and returns without Stop.
//
//go:noinline
func pollOnce() {
	t := time.NewTicker(time.Hour) // LEAK ticker:
	select {
	case <-t.C:
	default:
	}
}

// A loop waiting with a timeout, where the work always wins the race:
// each iteration leaves an hour-long timer behind.
//
//go:noinline
func receiveWithTimeout(work <-chan int) int {
	select {
	case v := <-work:
		return v
	case <-time.After(time.Hour): // LEAK after:
		return -1
	}
}

func main() {
	out := flag.String("out", "", "heap profile to write")
	n := flag.Int("n", 20000, "tickers and timers to create")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: timers -out FILE [-n N]")
		os.Exit(2)
	}
	work := make(chan int, 1)
	for i := 0; i < *n; i++ {
		pollOnce()
		work <- i
		receiveWithTimeout(work)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f, err := os.Create(*out)
	if err == nil {
		err = pprof.Lookup("heap").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "timers:", err)
		os.Exit(1)
	}
	fmt.Printf("go_version=%s\nheap_alloc=%d\n", runtime.Version(), ms.HeapAlloc)
}
