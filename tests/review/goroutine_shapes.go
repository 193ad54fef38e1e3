// Misses: goroutine leak shapes that goroutine-blocked-send,
// goroutine-no-exit and unbounded-goroutines do not report, as found by
// bench/goroutine_kernels.sh on the Go runtime's goroutine leak kernels
// (GOROOT/src/runtime/testdata/testgoroutineleakprofile). Each function is
// one shape, written from scratch (the kernels are not copied); its comment
// names the kernels with that shape, the rule that should report it (at the
// go statement, as the goroutine rules do) and why the rule does not today.
//
// leakhound says: nothing, for every function in this file (checked with
// `cd tests/review && leakhound scan ./...`: no goroutine finding here).
// Not wired into any test.
//
// Most of the kernels' channels live in struct fields made by a
// constructor and used through methods; chanfacts (src/rules/chanfacts.c)
// follows only `ch := make(chan T)` locals of the function starting the
// goroutine, and lh_go_target refuses `go x.method()`. Shapes 2-5 are that
// limit; 1 and 6 are holes inside what chanfacts already sees.
package review

import (
	"context"
	"errors"
	"sync"
	"time"
)

func shapeWork() bool { return time.Now().UnixNano()%2 == 0 }

// Shape 1: a channel made per turn of a for/select loop, one sender per
// turn, and a select that can leave the loop without receiving.
// Kernels: Grpc660, Moby33781.
// Rule: goroutine-blocked-send (one sender, unbuffered; the stop case
// returns without receiving).
// Why missed: the receive `case <-done:` sits inside the for loop, so
// chans.c counts it as a loop receive (loop_recvs) and the rule asks
// whether that "receiving loop" stops on a received value
// (stops_on_received) -- it does not, so no finding. But the loop also
// encloses the make: each turn has its own channel, received at most once,
// and the question should be the one-sender path search of the maker's
// turn (return / break without receiving), as for a make outside loops.
func shapePerTurnChannel(stop <-chan struct{}) {
	for {
		done := make(chan bool)
		go func() {
			done <- shapeWork()
		}()
		select {
		case <-stop:
			return // this turn's sender blocks forever
		case <-done:
		}
	}
}

// Shape 2: a struct's channel field, made in a constructor, received from
// by a goroutine started with `go x.method()`, and never sent on or closed
// anywhere in the package.
// Kernels: Cockroach25456, Grpc1275, Kubernetes25331 (ctx case aside),
// Syncthing5795, Cockroach2448, Istio18454 and most field-channel kernels.
// Rule: goroutine-no-exit ("waits on quit, which nothing sends on or
// closes").
// Why missed: chanfacts only considers `ch := make(...)` locals whose every
// use stays in the maker and the goroutines it starts; a field made in a
// composite literal is never a candidate, and lh_go_target refuses method
// targets (f->recv_type). A package-wide fact would do: an unexported
// channel field of an unexported type that no code of the package sends on,
// closes or hands out (returning it counts as handing out unless the
// callers only receive) -- every blocking receive on it waits forever.
type shapeLoop struct {
	quit chan struct{}
	jobs chan int
}

func newShapeLoop() *shapeLoop {
	return &shapeLoop{quit: make(chan struct{}), jobs: make(chan int, 1)}
}

func (l *shapeLoop) run() {
	<-l.quit // nothing in the package closes or sends on quit
}

func shapeFieldNeverClosed() {
	l := newShapeLoop()
	go l.run()
}

// Shape 3: a buffered channel field that nothing receives from; the
// goroutine sends more values than the buffer holds.
// Kernels: Cockroach35931, Cockroach35073 (its only receive is a
// select-with-default in a method nobody calls), Kubernetes38669
// (capacity 0 from the caller), Cockroach24808 (two sends, capacity 1,
// the receiver started after the second send).
// Rule: goroutine-blocked-send ("nothing receives from it" / "more sends
// than its capacity before anything receives").
// Why missed: same as shape 2 -- a field, not a local make -- and the
// capacity arrives through a parameter (make(chan T, n) with n a
// constant argument at the only call site), so f->cap is unknown (-1) and
// the rule returns early even for locals.
type shapeSink struct{ out chan int }

func (s *shapeSink) init(n int) { s.out = make(chan int, n) }

func (s *shapeSink) push(v int) { s.out <- v }

func shapeFieldNoReceiver() {
	go func() {
		s := &shapeSink{}
		s.init(1)
		s.push(1)
		s.push(2) // blocks: buffer full, nobody ever receives from out
	}()
}

// Shape 4: Start launches a goroutine that runs until Stop closes a field
// channel; the function that builds the worker never calls Stop.
// Kernels: MethodContractViolation (commonpatterns.go), Cockroach13197 and
// Cockroach13755 (with a stored cancel func as the "Stop"), Grpc862.
// Rule: goroutine-no-exit (the goroutine's only way out is a close/cancel
// that the owner never reaches), or a lost-cancel-like rule at the
// constructor call: "Start without Stop on some path".
// Why missed: the channels are fields (shape 2), the close exists (in
// Stop), so "nothing closes it" is false package-wide; what is missing is
// a per-owner path search like lost-cancel's: after w.start(), a path to
// return of the owner that calls neither w.stop() nor hands w on.
type shapeWorker struct {
	in   chan int
	done chan struct{}
}

func (w *shapeWorker) start() {
	go func() {
		for {
			select {
			case <-w.in:
			case <-w.done:
				return
			}
		}
	}()
}

func (w *shapeWorker) stop() { close(w.done) }

func shapeStartWithoutStop(items []int) {
	w := &shapeWorker{in: make(chan int), done: make(chan struct{})}
	w.start()
	for _, it := range items {
		w.in <- it
	}
	// returns without w.stop(): the goroutine waits forever
}

// Shape 4b: the same with a context: the goroutine waits on ctx.Done() of a
// WithCancel context whose cancel is stored in a field and called only by
// a method the owner never calls.
// Kernels: Cockroach13197, Cockroach13755, Grpc862.
// Rule: goroutine-no-exit (or lost-cancel, which today treats storing the
// cancel in a field as a hand-off and is silent).
// Why missed: ctx.Done() is not a channel made with make, so no channel
// fact exists; the cancel stored in tx.cancel counts as handed off.
type shapeTx struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (t *shapeTx) await()    { <-t.ctx.Done() }
func (t *shapeTx) rollback() { t.cancel() }

func shapeBegin(parent context.Context) *shapeTx {
	ctx, cancel := context.WithCancel(parent)
	t := &shapeTx{ctx: ctx, cancel: cancel}
	go t.await()
	return t // the caller below drops it: rollback is never reached
}

func shapeCancelStoredNeverCalled() {
	shapeBegin(context.Background())
}

// Shape 5: the goroutine hands the channel to a helper of the package that
// sends on it, on some path twice; the maker receives once.
// Kernels: DoubleSend (commonpatterns.go), Cockroach18101 (helper sends
// a constant 8 values into a capacity-6 channel).
// Rule: goroutine-blocked-send.
// Why missed: passing ch to any function counts as a hand-off in chans.c
// (occurrence: a call argument other than close/len/cap), so the channel's
// uses are "not visible" and chanfacts drops it. The module summaries of
// src/sema/flow.c already follow resources into helpers; the same per-
// parameter summary for channels (sends only, at most k sends, closes)
// would keep the channel provable. Inlined, it is still missed: the rule
// counts a goroutine's sends as one ("alternative sends in one body are
// one"), so `ch <- 1; ch <- 2` in sequence against one receive is never
// "more sends than receives"; sends on one path should add up.
func shapeSendTwice(ch chan<- error, err error) {
	if err != nil {
		ch <- err
		// missing return
	}
	ch <- nil
}

func shapeHelperSends() error {
	ch := make(chan error)
	go func() {
		shapeSendTwice(ch, errors.New("x"))
	}()
	return <-ch // the second send blocks forever
}

// Shape 6: the maker ranges over a buffered channel and returns from
// inside the range on a select's ctx.Done() case; the sender sends a
// constant number of values larger than the capacity.
// Kernel: Cockroach18101.
// Rule: goroutine-blocked-send ("the receiving loop can end early").
// Why missed: stops_on_received only counts an `if` about the received
// value as an early exit; a return in a select case (or any return in the
// range body) is not one. With the sends in the goroutine itself
// (counted by a constant loop) the capacity test would otherwise apply.
func shapeRangeReturnsOnCancel(ctx context.Context) {
	ch := make(chan int, 4)
	go func() {
		defer close(ch)
		for i := 0; i < 8; i++ {
			ch <- i
		}
	}()
	for range ch {
		select {
		case <-ctx.Done():
			return // the sender still has sends to make: it blocks
		default:
		}
	}
}

// Shape 7: operations that can never complete inside the goroutine itself:
// a receive from or send on a nil channel, on a channel made in the
// expression (nobody else can have it), a select with no cases.
// Kernels: NilRecv, NilSend, ChanRecv, ChanSend, Select, SelectNoCases
// (simple.go), and SpawnGC's `<-make(chan int)`.
// Rule: goroutine-no-exit for receives and select {}, goroutine-blocked-
// send for sends (or goroutine-no-exit for both: "blocks forever").
// Why missed: chanfacts starts only from named variables initialised by
// make; `var c chan int` (nil) and make(...) used in place have no facts,
// and select {} is judged only as part of a loop (fl_visit wants a loop
// around a blocking receive).
func shapeNeverCompletes() {
	go func() {
		var c chan int
		<-c
	}()
	go func() {
		<-make(chan struct{})
	}()
	go func() {
		select {}
	}()
}

// Shape 8: sync primitives local to the goroutine that no one else can
// release: WaitGroup.Add with no Done before Wait, a mutex locked twice,
// Cond.Wait with no Signal/Broadcast in the package.
// Kernels: WaitGroup, MutexStack, MutexHeap, RWMutexLock, RWMutexRLock,
// Cond (simple.go); Moby30408 (Cond.Wait that no one signals, then the
// maker's <-done waits for a close that follows it).
// Rule: goroutine-no-exit ("waits on wg, which nothing calls Done on").
// Why missed: the rules only know channels; no sync fact exists in sema.
func shapeLocalSync() {
	go func() {
		var wg sync.WaitGroup
		wg.Add(1)
		wg.Wait()
	}()
	go func() {
		var mu sync.Mutex
		mu.Lock()
		mu.Lock()
	}()
}

// Shape 9: a method holds a mutex of its receiver and calls (directly or
// through other methods or a stored func) another method that locks the
// same mutex again: the goroutine deadlocks on itself.
// Kernels: Etcd10492, Etcd6708, Syncthing4829 (RLock under Lock),
// Cockroach7504, Cockroach584, Cockroach9935, Moby7559 (Lock in a loop
// with a `continue` path that skips the Unlock), Moby17176 (early return
// without Unlock), and most of the 29 kernels whose leaks wait only on
// sync.Mutex/RWMutex.
// Rule: none of the three goroutine rules -- these are deadlocks, not
// channel leaks; a lock rule on the CFG (Lock reached again, or a return
// reached, while the same receiver's mutex is held, following the
// package's methods as the resource summaries of flow.c do) would be a
// new rule, not an extension.
// Why missed: no rule looks at sync.Mutex at all.
type shapeRegistry struct {
	mu    sync.RWMutex
	items map[string]int
}

func (r *shapeRegistry) notify() {
	r.mu.RLock() // already held for writing by clear
	defer r.mu.RUnlock()
}

func (r *shapeRegistry) clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.items {
		delete(r.items, k)
	}
	r.notify()
}

func shapeReentrantLock() {
	go func() {
		r := &shapeRegistry{items: map[string]int{"a": 1}}
		r.clear()
	}()
}

// Shape 10: WaitGroup.Wait inside the loop that starts the goroutines,
// after an Add for all of them: the first Wait waits for goroutines not
// started yet.
// Kernel: Moby25348.
// Rule: goroutine-no-exit (reported at the go statement of the function
// that waits), or a WaitGroup rule.
// Why missed: no WaitGroup facts.
func shapeWaitInSpawnLoop(n []int) {
	var wg sync.WaitGroup
	wg.Add(len(n))
	for range n {
		go func() {
			defer wg.Done()
		}()
		wg.Wait() // with len(n) > 1 the first turn waits forever
	}
}
