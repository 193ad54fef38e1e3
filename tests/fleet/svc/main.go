// A small service serving net/http/pprof on loopback, for the fleet tests
// (tests/t_fleet_prometheus.sh) and the load bench. One binary, three
// behaviours:
//
//	-mode leaky    a cache that only grows and goroutines blocked forever on
//	               a send nobody receives: a leak of both kinds
//	-mode control  warms up (fills a bounded cache) and then holds steady
//	-mode restart  the control's behaviour, but the process exits after a
//	               few seconds; the test restarts it on the same port
//
// The leaking lines carry "// LEAK" markers that the test greps for, so no
// line number is written down twice.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"sync"
	"time"
)

var (
	mu    sync.Mutex
	cache = map[string][]byte{}
	sink  []byte
)

// remember keeps every rendered page forever: nothing ever deletes from cache.
func remember(key string, n int) {
	page := make([]byte, n) // LEAK heap
	for i := range page {
		page[i] = byte(i)
	}
	mu.Lock()
	cache[key] = page
	mu.Unlock()
}

// notify hands each event to a goroutine that waits for a reader who never
// comes: the goroutine and its event stay forever.
func notify(events chan<- []byte, ev []byte) {
	go func() {
		events <- ev // LEAK goroutine
	}()
}

// warm fills a bounded cache once, then only replaces entries: memory
// climbs for a moment and then stays flat.
func warm(stop time.Duration) {
	slots := make([][]byte, 64)
	start := time.Now()
	for i := 0; ; i++ {
		slots[i%len(slots)] = make([]byte, 64<<10)
		// Short-lived garbage, as any service makes.
		sink = make([]byte, 16<<10)
		if stop > 0 && time.Since(start) > stop {
			os.Exit(0)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	mode := flag.String("mode", "control", "leaky, control or restart")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	addrFile := flag.String("addrfile", "", "write the bound address here")
	life := flag.Duration("life", 4*time.Second, "restart mode: exit after this long")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if *addrFile != "" {
		tmp := *addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(ln.Addr().String()), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			log.Fatal(err)
		}
	}
	go func() { log.Fatal(http.Serve(ln, nil)) }()

	switch *mode {
	case "leaky":
		events := make(chan []byte)
		for i := 0; ; i++ {
			remember("page-"+strconv.Itoa(i), 16<<10)
			if i%4 == 0 {
				notify(events, make([]byte, 1024))
			}
			time.Sleep(20 * time.Millisecond)
		}
	case "control":
		warm(0)
	case "restart":
		warm(*life)
	default:
		fmt.Fprintf(os.Stderr, "unknown -mode %q\n", *mode)
		os.Exit(2)
	}
}
