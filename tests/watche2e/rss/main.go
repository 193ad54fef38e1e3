// Command rss is a process without pprof for `leakhound watch --pid` and
// `--exec` (tests/t_watch_proc.sh): its resident memory grows, holds
// steady, or grows to a limit and then the process exits, as a service in
// a container does when it runs into its memory limit (seed 000).
//
//	rss -mode grow|steady|limit [-rate 16] [-limit 40] [-life 120s]
//
// Growth is paced by the clock (-rate MB per second, in 256 kB steps), so a
// process delayed by a loaded machine catches up, and every page is touched
// so that it is resident. -mode limit exits with status 3 on reaching
// -limit MB.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

var kept [][]byte

func hold(n int) {
	b := make([]byte, n)
	for i := range b {
		b[i] = 1
	}
	kept = append(kept, b)
}

func main() {
	mode := flag.String("mode", "", "grow, steady or limit")
	rate := flag.Float64("rate", 16, "MB per second (grow, limit)")
	limit := flag.Float64("limit", 40, "MB at which -mode limit exits")
	life := flag.Duration("life", 120*time.Second, "exit after this long")
	flag.Parse()
	const step = 256 << 10
	start := time.Now()
	switch *mode {
	case "steady":
		hold(24 << 20)
		time.Sleep(*life)
	case "grow", "limit":
		held := 0.0
		for time.Since(start) < *life {
			for held < *rate*(1<<20)*time.Since(start).Seconds() {
				hold(step)
				held += step
				if *mode == "limit" && held >= *limit*(1<<20) {
					fmt.Fprintf(os.Stderr, "rss: reached %.0f MB, giving up\n", held/(1<<20))
					os.Exit(3)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: rss -mode grow|steady|limit [-rate MB/s] [-limit MB] [-life D]")
		os.Exit(2)
	}
}
