// Fixtures for defer-in-loop: every line with a want comment must be
// reported, and nothing else in this directory.
package fixtures

import (
	"log"
	"net/http"
	"os"
	"sync"
)

// Seed 000: an empty deferred func literal in a long-running loop.
func seed000() {
	running := true
	for running {
		defer func() {}() // want `defer-in-loop: defer inside a loop runs only when seed000 returns, not at the end of each iteration \(loop at line 15\)`
	}
}

// Seed 002 and examples/deferloop: a file closed by a defer per iteration.
func processForever(paths <-chan string) {
	for path := range paths {
		f, err := os.Open(path)
		if err != nil {
			log.Print(err)
			continue
		}
		defer f.Close() // want "defer-in-loop: .*processForever.*loop at line 22"
		buf := make([]byte, 4096)
		_, _ = f.Read(buf)
	}
}

// Seed 001's shape: a lock taken per iteration, released at return.
func lockPerItem(mu *sync.Mutex, items []int) {
	for i := range items {
		mu.Lock()
		defer mu.Unlock() // want "defer-in-loop"
		items[i]++
	}
}

// Three-clause and condition-less loops, response bodies.
func fetchAll(urls []string) {
	for i := 0; i < len(urls); i++ {
		resp, err := http.Get(urls[i])
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want "defer-in-loop"
	}
	for {
		resp, err := http.Get(urls[0])
		if err == nil {
			defer resp.Body.Close() // want "loop at line 52"
		}
	}
}

// The innermost loop is named.
func nested(grid [][]string) {
	for _, row := range grid {
		for _, p := range row {
			f, _ := os.Open(p)
			defer f.Close() // want "loop at line 63"
		}
	}
}

// A loop inside a function literal: the literal's own loop counts.
var worker = func(ch chan string) {
	for p := range ch {
		f, _ := os.Open(p)
		defer f.Close() // want "runs only when the function literal returns.*loop at line 72"
	}
}

// Methods, select and switch inside the loop.
type server struct{ mu sync.Mutex }

func (s *server) serve(ch chan int, quit chan bool) {
	for {
		select {
		case v := <-ch:
			s.mu.Lock()
			defer s.mu.Unlock() // want "when serve returns"
			_ = v
		case <-quit:
			return
		}
	}
}

// A break inside a switch leaves the switch, not the loop.
func switchBreak(xs []string) {
	for _, x := range xs {
		switch x {
		case "a":
			f, _ := os.Open(x)
			defer f.Close() // want "defer-in-loop"
			break
		}
	}
}

// A return in a nested block after the defer is conditional.
func conditionalReturn(xs []string) {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() // want "defer-in-loop"
		if x == "" {
			return
		}
	}
}

// continue goes round again.
func continueAfter(xs []string) {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() // want "defer-in-loop"
		continue
	}
}

// A defer in a func literal in a loop inside a func literal's loop.
func deep(xs [][]string) {
	for _, row := range xs {
		func() {
			for _, x := range row {
				f, _ := os.Open(x)
				defer f.Close() // want "function literal.*loop at line 130"
			}
		}()
	}
}

// Labeled loops: break of an inner loop's label does not leave the outer.
func labeled(xs [][]string) {
outer:
	for _, row := range xs {
	inner:
		for _, x := range row {
			_ = x
			break inner
		}
		f, _ := os.Open(row[0])
		defer f.Close() // want "loop at line 141"
		if len(row) > 2 {
			break outer
		}
	}
}

// Branches that do not all leave the loop.
func notTerminating(xs []string, ch chan int) error {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() // want "defer-in-loop"
		if x == "a" {
			return nil
		} else {
			continue
		}
	}
	for range xs {
		defer println() // want "defer-in-loop"
		switch len(xs) {
		case 1:
			return nil
		}
	}
	for range xs {
		defer println() // want "defer-in-loop"
		switch len(xs) {
		case 1:
			break
		default:
			return nil
		}
	}
	// This inner for never ends (its break leaves the select): the defer
	// runs once per call. The CFG sees that; the old syntactic rule did not.
	for range xs {
		defer println()
		for {
			select {
			case <-ch:
				break
			}
		}
	}
	return nil
}

// GOROOT crypto/tls's shape: the inner for never falls through, but its
// labeled continue starts the outer loop's next iteration.
func dialing(ch chan int, n int) {
Dialing:
	for i := 0; i < n; i++ {
		defer println(i) // want "loop at line 200"
		for {
			select {
			case <-ch:
				continue Dialing
			}
		}
	}
}

// ... unless control may not fall out of the inner block.
func continueBeforeLeaving(xs []string, ok bool) {
	for _, x := range xs {
		if ok {
			defer println(x) // want "defer-in-loop"
			continue
		}
		return
	}
	for _, x := range xs {
		switch x {
		case "a":
			defer println(x) // want "defer-in-loop"
			if ok {
				continue
			}
		}
		return
	}
}
