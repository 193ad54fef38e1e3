package fixtures

import (
	ctxpkg "context"
	"time"
)

// A renamed import is followed.
func renamed(parent ctxpkg.Context) ctxpkg.Context {
	ctx, _ := ctxpkg.WithTimeout(parent, time.Second) // want "context.WithTimeout is discarded"
	return ctx
}
