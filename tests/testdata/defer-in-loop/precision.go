package fixtures

import (
	"os"
	"sync"
	"testing"
	"time"
)

// Not reported: a table-driven test over a literal table.
func TestTable(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"a", "x"},
		{"b", "y"},
	}
	for _, tt := range tests {
		f, _ := os.Open(tt.in)
		defer f.Close()
	}
	for _, name := range []string{"x", "y", "z"} {
		f, _ := os.Open(name)
		defer f.Close()
	}
}

// Not reported: a package-level table.
var table = []string{"p", "q"}

func overPackageTable() {
	for _, p := range table {
		f, _ := os.Open(p)
		defer f.Close()
	}
}

// Not reported: a small array and a small constant count.
func fixedCounts(paths [4]string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
	}
	const workers = 8
	for i := 0; i < workers; i++ {
		defer println(i)
	}
	for i := range 3 {
		defer println(i)
	}
}

// Not reported: a once-only guard.
func onceGuard(ch <-chan int) {
	var timer *time.Timer
	for v := range ch {
		if timer == nil {
			timer = time.NewTimer(time.Second)
			defer timer.Stop()
		}
		_ = v
	}
	started := false
	for v := range ch {
		if !started {
			started = true
			defer println("stopped")
		}
		_ = v
	}
}

// Not reported: every path after the defer leaves the loop.
func leaves(xs []string, mu *sync.Mutex) error {
	for _, x := range xs {
		mu.Lock()
		defer mu.Unlock()
		if x == "" {
			return nil
		}
		f, err := os.Open(x)
		if err != nil {
			os.Exit(1)
		}
		return f.Close()
	}
	return nil
}

// Reported: the table variable grows, so its length is not the source's.
func growingTable(extra []string) {
	names := []string{"a"}
	names = append(names, extra...)
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close() // want "defer-in-loop"
	}
}

// Reported: a benchmark's loop runs b.N times; tests are not exempt.
func BenchmarkOpen(b *testing.B) {
	for i := 0; i < b.N; i++ {
		f, _ := os.Open("x")
		defer f.Close() // want "defer-in-loop: .*BenchmarkOpen.*loop at line 103"
	}
}

// Reported: a constant above the bound, a guard on a per-turn variable,
// and a short loop inside a long one (the long one is named).
func notShort(ch <-chan []string) {
	for i := 0; i < 1000; i++ {
		defer println(i) // want "loop at line 112"
	}
	for v := range ch {
		var t *time.Timer
		if t == nil {
			t = time.NewTimer(time.Second)
			defer t.Stop() // want "loop at line 115"
		}
		_ = v
	}
	for batch := range ch {
		for i := 0; i < 2; i++ {
			defer println(batch[i]) // want "loop at line 123"
		}
	}
}
