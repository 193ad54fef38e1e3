package noexit

// A goroutine whose only way out is a channel that only an uncalled method
// closes: the contract (call stop when done) is broken by every user.
type spooler struct {
	items chan int
	quit  chan struct{}
}

func (p *spooler) start() {
	go func() { // want "goroutine can end only by receiving from the field spooler.quit, which only stop sends on or closes, and nothing calls stop"
		for {
			select {
			case v := <-p.items:
				_ = v
			case <-p.quit:
				return
			}
		}
	}()
}

func (p *spooler) stop() { close(p.quit) }

func (p *spooler) add(v int) { p.items <- v }

func useSpooler(xs []int) {
	p := &spooler{items: make(chan int), quit: make(chan struct{})}
	p.start()
	for _, x := range xs {
		p.add(x)
	}
}

// The same with stop called: clean.
type feeder struct {
	items chan int
	quit  chan struct{}
}

func (f *feeder) start() {
	go func() {
		for {
			select {
			case v := <-f.items:
				_ = v
			case <-f.quit:
				return
			}
		}
	}()
}

func (f *feeder) stop() { close(f.quit) }

func useFeeder() {
	f := &feeder{items: make(chan int), quit: make(chan struct{})}
	f.start()
	defer f.stop()
	f.items <- 1
}

// Closed in a Close method: io.Closer users call it without naming it here.
type tailer struct {
	lines chan string
	done  chan struct{}
}

func (t *tailer) follow() {
	go func() {
		for {
			select {
			case l := <-t.lines:
				_ = l
			case <-t.done:
				return
			}
		}
	}()
}

func (t *tailer) Close() error {
	close(t.done)
	return nil
}

// A promoted field: the embedded type's own code closes it.
type peerState struct {
	stopc chan struct{}
}

func (p *peerState) shutdown() { close(p.stopc) }

type peerDelegate struct {
	*peerState
	ticks chan int
}

func newPeerDelegate() *peerDelegate {
	p := &peerState{stopc: make(chan struct{})}
	d := &peerDelegate{peerState: p, ticks: make(chan int)}
	go d.watch()
	defer p.shutdown()
	return d
}

func (d *peerDelegate) watch() {
	for {
		select {
		case <-d.stopc:
			return
		case t := <-d.ticks:
			_ = t
		}
	}
}
