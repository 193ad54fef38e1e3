// Package shadowpkg imports context and shadows it locally.
package shadowpkg

import "context"

type fake struct{}

func (fake) WithTimeout(p context.Context, n int) (context.Context, func()) { return p, func() {} }

// vet: reported (heuristic: a local named context is taken for the package).
func Shadowed(parent context.Context) context.Context {
	context := fake{}
	ctx, _ := context.WithTimeout(parent, 1)
	return ctx
}

// vet: reported, the real package used in a function whose parameter is
// named ctx and which shadows nothing.
func Real(parent context.Context, n int) context.Context {
	ctx, cancel := context.WithCancel(parent)
	if n == 0 {
		return ctx
	}
	cancel()
	return parent
}
