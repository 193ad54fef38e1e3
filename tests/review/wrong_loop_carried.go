// Class: a resource variable that lives across loop iterations.
//
// leakhound says (ticker-not-stopped; the same search serves the other
// resource rules): "the ticker or timer from time.NewTicker is not stopped
// on all paths: the loop's next iteration starts without Stop()".
//
// Wrong: the ticker is assigned to a variable declared outside the loop
// and is meant to survive into the next iteration; it is stopped before
// it is replaced and when the loop is left. lh_flow_unreleased_path stops
// the search at the loop head (`.until = b->loop->head`) whenever the
// creating statement is inside a loop. That is right for `t :=` inside
// the loop body (a new variable per turn), wrong when the variable is
// declared outside the loop: then the search should go on through the
// loop head and only a reassignment (or the function's end) with the old
// value unreleased is a leak.
//
// In the corpus (go.mongodb.org/mongo-driver topology.go:539/546,
// moby/buildkit progressui/display.go:75/86) the finding happens to be
// worth fixing for another reason -- `defer pollTicker.Stop()` at the top
// binds the first ticker, so the last replacement is never stopped -- but
// the message points at the wrong path; without that defer it is plain
// wrong, as here.
package review

import "time"

func LoopCarriedTicker(fast func() bool, done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-t.C:
			if fast() {
				t.Stop()
				t = time.NewTicker(time.Millisecond) // reported: "the loop's next iteration starts without Stop()"
			}
		case <-done:
			t.Stop()
			return
		}
	}
}
