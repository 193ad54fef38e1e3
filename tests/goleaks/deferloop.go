package main

// Seeds 000, 001 and 002: a long-running worker defers the release of each
// job's buffer inside its loop. Deferred calls run only when the function
// returns, and this one never does, so every buffer the deferred closures
// capture stays reachable.

import (
	"strconv"
	"sync"
)

const jobBufferSize = 8192

type job struct {
	id   int
	done *sync.WaitGroup
}

var released int

func release(buf []byte) { released += len(buf) }

func process(j job, buf []byte) {
	for i := range buf {
		buf[i] = byte(j.id + i)
	}
}

// worker serves jobs until the channel is closed, which in a server is never.
func worker(jobs <-chan job) {
	for j := range jobs {
		buf := make([]byte, jobBufferSize) // LEAK heap: captured by the deferred closure below
		defer func() { release(buf) }()    // LEAK defer: runs only when worker returns
		process(j, buf)
		j.done.Done()
	}
}

var (
	jobs     chan job
	jobsSent int
)

func init() {
	register("deferloop", scenario{
		setup: func() {
			jobs = make(chan job)
			go worker(jobs)
		},
		// Each job leaves a deferred closure (32 B) and a _defer record
		// behind at the defer statement: 80 B per job with Go 1.26, 112 B
		// with Go 1.19. At 250 jobs a round that site grows by 120 kB or
		// more over seven snapshots, well past trend's default
		// --min-growth (64k) on either runtime.
		rate: 250,
		round: func(r, n int) {
			var done sync.WaitGroup
			done.Add(n)
			for i := 0; i < n; i++ {
				jobs <- job{id: jobsSent, done: &done}
				jobsSent++
			}
			done.Wait()
		},
		leakBytes: func() int { return jobsSent * jobBufferSize },
		facts: func() map[string]string {
			return map[string]string{
				"jobs":          strconv.Itoa(jobsSent),
				"leak_function": "main.worker",
			}
		},
	})
}
