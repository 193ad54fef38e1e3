package fixtures

import . "context"

// A dot import is followed.
func dotted(parent Context) Context {
	ctx, _ := WithCancel(parent) // want "the cancel function of context.WithCancel is discarded"
	return ctx
}
