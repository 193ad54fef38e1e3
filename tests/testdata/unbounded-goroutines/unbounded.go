package unbounded

import (
	"net"
	"time"
)

// Seed 001.
func runJobs(cancel <-chan struct{}) {
	for {
		go func() { // want "unbounded-goroutines: a goroutine per turn of a loop that does not end \(line 10\), each waiting on cancel"
			// create a 1Gb slice
			bigSlice := make([]byte, 1_000_000_000)

			// do some work with the data
			_ = bigSlice

			// wait until a cancellation signal is received
			<-cancel
		}()

		time.Sleep(10 * time.Second)
	}
}

// A condition the loop never changes.
func poll(running bool, results chan int) {
	for running {
		go func() { // want "waiting on results"
			results <- 1
			<-results
		}()
		time.Sleep(time.Second)
	}
}

// A range over a channel of requests, each goroutine waiting on a shared quit.
func serve(reqs <-chan int, quit chan struct{}) {
	for r := range reqs {
		go func(r int) { // want "each waiting on quit"
			_ = r
			<-quit
		}(r)
	}
}

// A select without default on outer channels blocks too.
func watch(events <-chan int, stop <-chan bool) {
	for {
		go func() { // want "unbounded-goroutines"
			select {
			case <-stop:
			}
		}()
		time.Sleep(time.Millisecond)
	}
}

// Accept loop whose goroutines wait on a shared channel.
func listen(l net.Listener, shutdown <-chan struct{}) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() { // want "unbounded-goroutines"
			<-shutdown
			c.Close()
		}()
	}
}
