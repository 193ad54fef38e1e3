package fixtures

import (
	"os"
	"sync"
)

// The fix: one function call per iteration.
func wrapped(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

// A goroutine per item: each defer belongs to its goroutine.
func goroutines(wg *sync.WaitGroup, items []int) {
	for range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
}

// A defer outside any loop.
func single(p string) {
	f, _ := os.Open(p)
	defer f.Close()
	for i := 0; i < 3; i++ {
		_ = i
	}
}

// The first match: the defer is followed by an unconditional return, so
// it runs at most once per call.
func firstMatch(paths []string) *os.File {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return f
	}
	return nil
}

// ... or by a break out of the loop, or a panic.
func breakAfter(paths []string) {
	for _, p := range paths {
		if p == "" {
			continue
		}
		mu := &sync.Mutex{}
		mu.Lock()
		defer mu.Unlock()
		break
	}
	for {
		defer println("once")
		panic("stop")
	}
}

// A labeled break out of an enclosing loop.
func breakOuter(xs [][]string) {
outer:
	for _, row := range xs {
		for _, x := range row {
			if x == "" {
				f, _ := os.Open(x)
				defer f.Close()
				break outer
			}
		}
	}
}

// A defer inside a func literal that is only declared in the loop body.
func declared(xs []string) []func() {
	var fs []func()
	for _, x := range xs {
		fs = append(fs, func() {
			f, _ := os.Open(x)
			defer f.Close()
		})
	}
	return fs
}

// Loops inside the deferred function itself are the literal's business.
func deferredLoop(xs []string) {
	defer func() {
		for range xs {
		}
	}()
}

// Terminating statements after the defer: every branch returns.
func terminating(xs []string, ch chan int) error {
	for _, x := range xs {
		f, err := os.Open(x)
		if err != nil {
			continue
		}
		defer f.Close()
		if x == "a" {
			return nil
		} else {
			return err
		}
	}
	for range xs {
		defer println()
		switch len(xs) {
		case 1:
			return nil
		default:
			panic("many")
		}
	}
	for {
		defer println()
		select {
		case <-ch:
			return nil
		}
	}
}

// A loop that never ends after the defer: the outer loop cannot go round.
func forever(xs []string) {
	for range xs {
		defer println()
		for {
		}
	}
}

// The statement that leaves the loop follows the block holding the defer.
func leavesAfterBlock(xs []string, ok bool) *os.File {
	for _, x := range xs {
		if ok {
			f, _ := os.Open(x)
			defer f.Close()
		}
		return nil
	}
	for _, x := range xs {
		switch x {
		case "a":
			defer println(x)
		case "b":
			continue
		}
		break
	}
	return nil
}
