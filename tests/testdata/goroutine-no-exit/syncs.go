package noexit

import "sync"

// Sync primitives nothing releases.
func forgottenDone() {
	go func() { // want "goroutine waits on wg, which nothing marks Done"
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Wait()
	}()
}

func doubleLock() {
	go func() { // want "locks mu, which nothing unlocks, a second time"
		var mu sync.Mutex
		mu.Lock()
		mu.Lock()
	}()
}

func heldByStarter() {
	mu := &sync.RWMutex{}
	mu.Lock()
	go func() { // want "locks mu, which nothing unlocks"
		mu.RLock()
	}()
}
