// Package harness is what the two agreement programs share: wait until
// every goroutine they started has ended or blocked, then serve
// net/http/pprof on 127.0.0.1 for tests/t_runtime_agree.sh.
package harness

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Flags the test passes to both programs.
var (
	addrFile = flag.String("addrfile", "", "file to write the pprof server's host:port to")
	life     = flag.Duration("life", 120*time.Second, "exit after this long")
)

// Settle returns once every goroutine but the caller waits on a channel or
// a select: the leaks have happened and the ended goroutines are gone. The
// runtime's detector only tags goroutines that are blocked when its GC
// cycle runs, so a sender still on its way to the send would be missed;
// this polls for a state, never sleeps for a guessed time. It gives up
// (exit 1, with the goroutines it was waiting for) after 20 s.
func Settle() {
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(20 * time.Second); ; {
		n := runtime.Stack(buf, true)
		busy := unsettled(buf[:n])
		if len(busy) == 0 {
			return
		}
		if time.Now().After(deadline) {
			Fatal(fmt.Errorf("goroutines still running after 20 s:\n%s", strings.Join(busy, "\n")))
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// unsettled lists the headers of the goroutines in a dump (all but the
// first, the caller's) that are not waiting on a channel or a select.
func unsettled(dump []byte) []string {
	var busy []string
	first := true
	for _, line := range bytes.Split(dump, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("goroutine ")) {
			continue
		}
		if first {
			first = false
			continue
		}
		i := bytes.IndexByte(line, '[')
		if i < 0 {
			continue
		}
		state := string(line[i+1:])
		switch {
		case strings.HasPrefix(state, "chan send"), strings.HasPrefix(state, "chan receive"),
			strings.HasPrefix(state, "select"):
		default:
			busy = append(busy, string(line))
		}
	}
	return busy
}

// Serve writes meta.txt (the program's Go version, then meta) next to
// -addrfile, starts net/http/pprof on 127.0.0.1, writes the address to
// -addrfile (whole, by a rename) and keeps the process alive for -life:
// a test that dies cannot leave it behind.
func Serve(meta string) {
	if *addrFile == "" {
		fmt.Fprintln(os.Stderr, "usage: "+filepath.Base(os.Args[0])+" -addrfile FILE [-life D]")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		Fatal(err)
	}
	go func() { Fatal(http.Serve(ln, nil)) }()
	meta = "go_version=" + runtime.Version() + "\n" + meta
	if err := os.WriteFile(filepath.Join(filepath.Dir(*addrFile), "meta.txt"), []byte(meta), 0o644); err != nil {
		Fatal(err)
	}
	if err := os.WriteFile(*addrFile+".tmp", []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
		Fatal(err)
	}
	if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
		Fatal(err)
	}
	time.Sleep(*life)
}

// Fatal prints err and exits 1.
func Fatal(err error) {
	fmt.Fprintln(os.Stderr, filepath.Base(os.Args[0])+":", err)
	os.Exit(1)
}
