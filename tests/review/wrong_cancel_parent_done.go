// Class: lost-cancel on the path where the parent context is done.
//
// leakhound says: "the aggrCancel function of context.WithCancel is not
// used on all paths: the return on line N is reached without calling it
// (context leak)". (go vet's lostcancel says the same.)
//
// Wrong: the only path without aggrCancel() leaves through
// `case <-ctx.Done()`, and ctx is the parent of aggrCtx. When a parent is
// cancelled, context cancels every child and removes it from its children
// map (propagateCancel / cancelCtx.cancel), so nothing is retained: the
// cancel function is redundant on that path. The CFG search would need to
// treat the body of a `case <-P.Done():` (or the code after `<-P.Done()`)
// as releasing every context derived from P.
//
// Frequency: 2 of 24 lost-cancel findings (syncthing lib/model/folder.go
// monitorWatch, lines 980 and 1030), the only two non-test ones besides
// the two real ones.
package review

import "context"

func CancelParentDone(ctx context.Context, errc <-chan error, work func(context.Context)) {
	aggrCtx, aggrCancel := context.WithCancel(ctx) // reported
	for {
		select {
		case <-errc:
			aggrCancel()
			aggrCtx, aggrCancel = context.WithCancel(ctx) // reported
			work(aggrCtx)
		case <-ctx.Done():
			return // ctx done: aggrCtx is cancelled and unlinked already
		}
	}
}
