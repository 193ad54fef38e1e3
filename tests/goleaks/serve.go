package main

// -serve: the scenario as a live service. Instead of writing snapshot files,
// the program keeps up its traffic and serves net/http/pprof on a loopback
// port, so tests can point leakhound at the runtime's own endpoints
// (/debug/pprof/heap, /debug/pprof/goroutine?debug=2, ...). It exits by
// itself after the given time, so a test that dies cannot leave it behind.

import (
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"time"
)

func serveLive(s scenario, life, interval time.Duration, addrFile string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fatal(err)
	}
	go func() { fatal(http.Serve(ln, nil)) }()
	// Written whole under another name and renamed, so a reader polling for
	// the file never sees half an address.
	if err := os.WriteFile(addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		fatal(err)
	}
	if err := os.Rename(addrFile+".tmp", addrFile); err != nil {
		fatal(err)
	}
	if s.setup != nil {
		s.setup()
	}
	start := time.Now()
	done := 0
	for r := 0; time.Since(start) < life; r++ {
		if due := s.due(start, interval); due > done {
			s.round(r, due-done)
			done = due
		}
		// The heap profile describes the heap as of the last GC; collecting
		// here keeps it at most an interval old, as a service that frees
		// memory to the OS periodically would, so two requests a second
		// apart (or ?seconds=N deltas) see the growth in between.
		runtime.GC()
		time.Sleep(interval)
	}
	os.Exit(0)
}
