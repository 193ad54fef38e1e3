package noexit

import (
	"net"
	"sync"
)

// Self-deadlocks: a goroutine takes a mutex it already holds.

type registry struct {
	sync.Mutex
	items map[string]int
}

func (r *registry) refresh() {
	r.Lock()
	defer r.Unlock()
	r.reset() // takes r's mutex again while the deferred Unlock has not run
}

func (r *registry) reset() {
	r.Lock()
	r.items = map[string]int{}
	r.Unlock()
}

func startRefresh(r *registry) {
	go r.refresh() // want "goroutine locks r.Mutex on line 16 and, still holding it, calls reset on line 18, which takes it again"
}

type table struct {
	mu   sync.RWMutex
	rows []string
}

func (t *table) count() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

func (t *table) add(s string) {
	t.mu.Lock()
	t.rows = append(t.rows, s)
	if len(t.rows) > 10 {
		_ = t.count() // RLock while write-locked
	}
	t.mu.Unlock()
}

// Two calls deep from the goroutine.
func (t *table) load(xs []string) {
	for _, x := range xs {
		t.add(x)
	}
}

func startLoad(t *table, xs []string) {
	go func() { // want "goroutine calls load \(line 60\), which calls add \(line 54\), which locks t.mu on line 43"
		t.load(xs)
	}()
}

// A continue skips the Unlock; the next turn locks again.
type proxy struct {
	connMu sync.Mutex
}

func (p *proxy) run(addrs []string) {
	for _, a := range addrs {
		p.connMu.Lock()
		c, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		c.Close()
		p.connMu.Unlock()
	}
}

func startProxy(p *proxy, addrs []string) {
	go p.run(addrs) // want "locks p.connMu on line 71 and, still holding it, takes it again on line 71"
}

// A package-level mutex taken by a helper the holder calls.
var stateMu sync.Mutex

func bump() {
	stateMu.Lock()
	stateMu.Unlock()
}

func flush() {
	stateMu.Lock()
	bump()
	stateMu.Unlock()
}

func startFlush() {
	go flush() // want "locks stateMu on line 94 and, still holding it, calls bump on line 95"
}

// Through a parameter: the helper locks what it is given.
func lockIt(m *sync.Mutex) {
	m.Lock()
}

type guarded struct{ mu sync.Mutex }

func (g *guarded) twice() {
	g.mu.Lock()
	lockIt(&g.mu)
}

func startTwice(g *guarded) {
	go g.twice() // want "calls lockIt on line 112, which takes it again"
}

// A read lock taken again while held: a writer (add) waiting between the
// two blocks the second RLock, and the writer waits for the first.
func (t *table) report() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.count() + 1
}

func startReport(t *table) {
	go t.report() // want "read-locks t.mu on line 122 and, still holding it, calls count on line 124, which read-locks it again"
}

// Channels nobody else has, and a Cond nobody signals.
func freshSend() {
	go func() { // want "a send on an unbuffered channel nobody else has"
		make(chan int) <- 1
	}()
}

func deadSelect() {
	go func() { // want "a select whose every case is on a nil channel or one nobody else has"
		var in chan int
		select {
		case v := <-in:
			_ = v
		case make(chan int) <- 2:
		}
	}()
}

func unsignalled() {
	go func() { // want "waits on c, which nothing signals"
		c := sync.NewCond(&sync.Mutex{})
		c.L.Lock()
		c.Wait()
	}()
}

// ---- look-alikes that do not deadlock ----------------------------------

// Unlocks before calling the method that locks.
func (r *registry) refreshUnlocked() {
	r.Lock()
	n := len(r.items)
	r.Unlock()
	if n > 0 {
		r.reset()
	}
}

// RLock then a method that RLocks a mutex nobody write-locks: readers
// share.
type catalog struct {
	mu    sync.RWMutex
	names []string
}

func (c *catalog) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.names)
}

func (c *catalog) summary() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.size()
}

// The callee releases first, then takes it back (a wait pattern).
func (g *guarded) waitOutside() {
	g.mu.Unlock()
	g.mu.Lock()
}

func (g *guarded) step() {
	g.mu.Lock()
	g.waitOutside()
	g.mu.Unlock()
}

// Another instance's mutex.
func (g *guarded) copyTo(other *guarded) {
	g.mu.Lock()
	defer g.mu.Unlock()
	other.lockBoth()
}

func (g *guarded) lockBoth() {
	g.mu.Lock()
	g.mu.Unlock()
}

// The callee locks only on a branch: not proven.
func (g *guarded) maybe(b bool) {
	if b {
		g.mu.Lock()
		g.mu.Unlock()
	}
}

func (g *guarded) callMaybe() {
	g.mu.Lock()
	g.maybe(false)
	g.mu.Unlock()
}

// A callback we cannot see may release it.
func (g *guarded) withHook(hook func()) {
	g.mu.Lock()
	hook()
	g.mu.Lock()
}

// Unlocked from the goroutine that started it.
func unlockedByStarter() {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Lock()
	}()
	mu.Unlock()
}

// A loop that unlocks on every path back to the Lock.
func (p *proxy) runFixed(addrs []string) {
	for _, a := range addrs {
		p.connMu.Lock()
		c, err := net.Dial("tcp", a)
		if err != nil {
			p.connMu.Unlock()
			continue
		}
		c.Close()
		p.connMu.Unlock()
	}
}

func startClean(r *registry, c *catalog, g *guarded, p *proxy, hook func(), addrs []string) {
	go r.refreshUnlocked()
	go c.summary()
	go g.step()
	go g.copyTo(&guarded{})
	go g.callMaybe()
	go g.withHook(hook)
	go p.runFixed(addrs)
}

func signalled() {
	go func() {
		c := sync.NewCond(&sync.Mutex{})
		c.L.Lock()
		go c.Signal()
		c.Wait()
	}()
}

func liveSelect(in chan int) {
	go func() {
		select {
		case v := <-in:
			_ = v
		case make(chan int) <- 2:
		}
	}()
}

// A loop that breaks out holding the lock: the next method the goroutine
// runs locks it again.
type poller struct {
	mu     sync.Mutex
	closed bool
}

func (p *poller) waitClosed() {
	for {
		p.mu.Lock()
		if p.closed {
			break
		}
		p.mu.Unlock()
	}
}

func (p *poller) drain() {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
}

func startPoller(p *poller) {
	go func() { // want "goroutine calls waitClosed on line 316, which can return holding p.mu, and then calls drain on line 317, which takes it again"
		p.waitClosed()
		p.drain()
	}()
}

// A lock helper, then the unlock, then a method that locks: clean. The
// same helper with a deferred unlock returns with the lock released.
func (p *poller) lock() { p.mu.Lock() }

func (p *poller) peek() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *poller) locked() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func startPollerClean(p *poller) {
	go func() {
		p.lock()
		p.closed = true
		p.mu.Unlock()
		_ = p.locked()
		_ = p.peek()
		p.drain()
	}()
}

// The unlock is a deferred call of a helper: add returns having released
// the lock, so calling it twice in a row does not deadlock.
type ledger struct {
	mu    sync.Mutex
	total int
}

func (l *ledger) release() { l.mu.Unlock() }

func (l *ledger) add(n int) {
	l.mu.Lock()
	defer l.release()
	l.total += n
}

func settleTwice(l *ledger) {
	go func() {
		l.add(1)
		l.add(2)
	}()
}
