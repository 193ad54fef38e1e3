package fixtures

import "os"

// Suppressions: none of these defers are reported except where wanted.
func suppressed(xs []string) {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolint
		defer f.Close() //nolint:defer-in-loop // closed at return on purpose
		defer f.Close() //nolint:errcheck,defer-in-loop
		defer f.Close() //nolint:all
		defer f.Close() //leakhound:ignore defer-in-loop the list is short
		//nolint:defer-in-loop
		defer f.Close()
		//leakhound:ignore defer-in-loop,other three items at most
		defer f.Close()
	}
	//nolint:defer-in-loop // the whole loop
	for _, x := range xs {
		f, _ := os.Open(x)
		if f != nil {
			defer f.Close()
		}
	}
}

// Directives that do not apply: each loop is reported at its first defer.
func notSuppressed(xs []string) {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolint:errcheck // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() // nolint // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //leakhound:ignore other reason // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolintx // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolint:defer-in-loo // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolint:defer-in-loops // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //leakhound:ignore defer-in-lo truncated // want "defer-in-loop"
	}
	for _, x := range xs {
		f, _ := os.Open(x)
		x := 1 //nolint
		defer f.Close() // want "defer-in-loop"
		_ = x
	}
}

// One finding per loop; a silenced defer is left out of it.
func several(xs []string) {
	for _, x := range xs {
		f, _ := os.Open(x)
		defer f.Close() //nolint:defer-in-loop
		defer println(x) // want "defer-in-loop: .*loop at line 68\); so do the defers on lines 72, 73"
		defer println(1)
		defer println(2)
	}
}
