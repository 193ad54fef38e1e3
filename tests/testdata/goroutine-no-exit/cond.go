package noexit

import "sync"

// A Cond field nothing in the package signals: whoever waits on it waits
// forever.
type gate struct {
	ready *sync.Cond
	open  bool
}

func (g *gate) await() {
	g.ready.L.Lock()
	for !g.open {
		g.ready.Wait()
	}
	g.ready.L.Unlock()
}

func startGate() *gate {
	g := &gate{ready: sync.NewCond(&sync.Mutex{})}
	go func() { // want "goroutine calls await \(line 23\), which waits on gate.ready \(line 15\), which nothing in the package signals"
		g.await()
	}()
	return g
}

// The same with a Broadcast after the change: clean.
type latch struct {
	done *sync.Cond
	set  bool
}

func (l *latch) wait() {
	l.done.L.Lock()
	for !l.set {
		l.done.Wait()
	}
	l.done.L.Unlock()
}

func (l *latch) release() {
	l.done.L.Lock()
	l.set = true
	l.done.L.Unlock()
	l.done.Broadcast()
}

func startLatch() *latch {
	l := &latch{done: sync.NewCond(&sync.Mutex{})}
	go l.wait()
	return l
}

// Handed to code we cannot see (it may signal): not judged.
type relay struct{ c *sync.Cond }

func (r *relay) wait() { r.c.Wait() }

func startRelay(share func(*sync.Cond)) {
	r := &relay{c: sync.NewCond(&sync.Mutex{})}
	share(r.c)
	go r.wait()
}
