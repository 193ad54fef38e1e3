package noexit

import "sync"

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
