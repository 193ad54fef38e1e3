package main

// Seeds 000 and 002, leak 1: a long-running worker defers the release of
// each job's buffer inside its endless loop. The deferred calls only run
// when the function returns, which it never does, so every buffer (and the
// defer record holding it) stays reachable.

type job struct {
	id   int
	data string
}

var pool = make(chan []byte, 16)

func release(buf []byte) {
	select {
	case pool <- buf:
	default:
	}
}

func worker(jobs <-chan job, done chan<- int) {
	for j := range jobs {
		buf := make([]byte, 8<<10) // LEAK heap: kept by the deferred release
		defer release(buf)
		n := copy(buf, j.data)
		done <- n
	}
}

func init() {
	jobs := make(chan job)
	done := make(chan int)
	next := 0
	register("deferloop", scenario{
		rate:  100,
		setup: func() { go worker(jobs, done) },
		step: func(n int) {
			for i := 0; i < n; i++ {
				next++
				jobs <- job{id: next, data: "payload"}
				<-done
			}
		},
	})
}
