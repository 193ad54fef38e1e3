// Class: a goroutine that waits on a channel field reached through an
// embedded pointer, closed through the embedded type's own name.
//
// Status: FIXED by ab03c7c (chans: a promoted x.f is a use of the
// embedded type's field). Before it, and in the r3 corpus run, leakhound
// said (goroutine-no-exit, at `go d.watch()`): "goroutine can end only by
// receiving from the field pdDelegate.stopc, which nothing sends on or
// closes: it never ends". At ab03c7c and later it says nothing here; the
// file stays as the corpus case's reproducer.
//
// Wrong: pdDelegate embeds *pdPeer, so d.stopc is pdPeer.stopc, which
// pdPeer.Leave closes. The receive and the close name the same field
// through different types (the promoted selector d.stopc vs p.stopc);
// chanfacts keys the receive on the outer type's "field" and finds no
// close for it. A selector that resolves through embedding should be
// keyed on the type that declares the field, which is what ab03c7c does.
//
// In the corpus: prometheus/alertmanager cluster/delegate.go:140
// (handleQueueDepth's `case <-d.stopc: return`, Peer.Leave's
// close(p.stopc) in cluster.go:574): the only wrong one of the 28
// goroutine-no-exit findings.
package review

type pdPeer struct {
	stopc chan struct{}
	work  chan int
}

func (p *pdPeer) Add(n int) { p.work <- n }

func (p *pdPeer) Leave() { close(p.stopc) }

type pdDelegate struct {
	*pdPeer
	ticks int
}

func (d *pdDelegate) watch() {
	for {
		select {
		case <-d.stopc:
			return
		case n := <-d.work:
			d.ticks += n
		}
	}
}

func NewPromotedDelegate() *pdPeer {
	p := &pdPeer{stopc: make(chan struct{}), work: make(chan int)}
	d := &pdDelegate{pdPeer: p}
	go d.watch()
	return p
}
