package fixtures

import context "time"

// This file's "context" is package time: nothing to report.
func notImported(d context.Duration) {
	t, _ := context.ParseDuration("1s")
	_ = t
	c := context.NewTimer(d)
	_ = c
}

type withCancel struct{}

func (withCancel) WithCancel() (int, int) { return 0, 0 }

func otherType() {
	var w withCancel
	a, _ := w.WithCancel()
	_ = a
}
