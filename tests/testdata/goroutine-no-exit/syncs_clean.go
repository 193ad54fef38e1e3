package noexit

import (
	"fmt"
	"sync"
)

// Released, or alternatives on different paths.
func doneCalled(n int) {
	go func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done() }()
		wg.Wait()
	}()
}

func unlocked() {
	go func() {
		var mu sync.Mutex
		mu.Lock()
		mu.Unlock()
		mu.Lock()
		mu.Unlock()
	}()
}

func eitherLock(read bool) {
	go func() {
		var mu sync.RWMutex
		if read {
			mu.RLock()
		} else {
			mu.Lock()
		}
	}()
}

func passedOn(wg *sync.WaitGroup) {
	go func() {
		var local sync.WaitGroup
		local.Add(1)
		register(&local)
		local.Wait()
	}()
}

func register(*sync.WaitGroup) {}

// A local Cond the starting function signals after the change.
func condSignalled() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := false
	go func() {
		mu.Lock()
		for !ready {
			c.Wait()
		}
		mu.Unlock()
	}()
	mu.Lock()
	ready = true
	mu.Unlock()
	c.Signal()
}

// Wait with no Add anywhere returns at once: there is nothing to wait for.
func waitNothing(jobs []func()) {
	var wg sync.WaitGroup
	go func() {
		wg.Wait()
		fmt.Println("all done")
	}()
	for _, j := range jobs {
		j()
	}
}

// One receive among other cases: the goroutine leaves through the other.
func eitherOr(stop <-chan struct{}) {
	never := make(chan int)
	go func() {
		select {
		case <-never:
		case <-stop:
		}
	}()
}
