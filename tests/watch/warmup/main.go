// Command warmup is the service the watch fixtures were recorded from
// (tests/testdata/watch/warmup*, see tests/watch/record.sh): it fills a
// bounded cache during its first seconds and then only replaces entries,
// as a service warming up does. With -leak it also keeps a little of every
// request forever once warm, seed 002's shape: a warm-up hiding a slow,
// steady climb.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"time"
)

const (
	slots     = 64
	entrySize = 32 << 10
)

var (
	cache    [slots][]byte
	retained [][]byte
)

// fill adds one entry per call until the cache is full, then replaces the
// oldest: in use grows for slots calls and then holds.
func fill(i int) {
	cache[i%slots] = make([]byte, entrySize) // STEADY: at most slots entries
}

// remember keeps a record of every request: the leak.
func remember() {
	retained = append(retained, make([]byte, 8<<10)) // LEAK heap: never dropped
}

func main() {
	leak := flag.Bool("leak", false, "keep a record of every request once warm")
	life := flag.Duration("serve", 60*time.Second, "exit after this long")
	addrFile := flag.String("addrfile", "", "write host:port here")
	flag.Parse()
	// Fine sampling so a small program's profiles still show its sites.
	runtime.MemProfileRate = 4096
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go http.Serve(ln, nil)
	os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644)
	os.Rename(*addrFile+".tmp", *addrFile)
	start := time.Now()
	for i := 0; time.Since(start) < *life; i++ {
		fill(i)
		if *leak && i >= slots {
			remember()
		}
		time.Sleep(100 * time.Millisecond)
	}
}
