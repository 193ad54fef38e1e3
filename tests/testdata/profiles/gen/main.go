// Command gen writes the profile fixtures under tests/testdata/profiles/
// from a live Go runtime, so the decoders are tested against what the
// runtime really prints rather than against our reading of it.
//
//	cd tests/testdata/profiles/gen && GO111MODULE=off go run main.go ..
//
// The program leaks on purpose, the way the seeds describe: goroutines
// blocked forever on a channel nobody reads, on a select, on a mutex, some
// with pprof labels, and heap retained by a global map that only grows.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var retained = map[int][]byte{}

//go:noinline
func allocSmall(i int) { retained[i] = make([]byte, 48) }

//go:noinline
func allocBig(i int) { retained[-1-i] = make([]byte, 64<<10) }

func leakSend(ch chan int) { ch <- 1 }

func leakSelect(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

var mu sync.Mutex

func leakLock() { mu.Lock() }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen OUTDIR")
		os.Exit(2)
	}
	out := os.Args[1]
	runtime.MemProfileRate = 4096

	for i := 0; i < 2000; i++ {
		allocSmall(i)
	}
	for i := 0; i < 20; i++ {
		allocBig(i)
	}
	for i := 0; i < 5; i++ {
		go leakSend(make(chan int))
	}
	for i := 0; i < 3; i++ {
		go leakSelect(make(chan int), make(chan int))
	}
	mu.Lock()
	go leakLock()
	labels := pprof.Labels("handler", "upload", "tenant", "acme")
	pprof.Do(context.Background(), labels, func(context.Context) {
		go leakSend(make(chan int))
	})
	time.Sleep(100 * time.Millisecond)
	runtime.GC()

	write := func(name, profile string, debug int) {
		f, err := os.Create(filepath.Join(out, name))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.Lookup(profile).WriteTo(f, debug); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		f.Close()
	}
	write("heap.pb.gz", "heap", 0)
	write("heap.debug1.txt", "heap", 1)
	write("goroutine.pb.gz", "goroutine", 0)
	write("goroutine.debug1.txt", "goroutine", 1)
	write("goroutine.debug2.txt", "goroutine", 2)
}
