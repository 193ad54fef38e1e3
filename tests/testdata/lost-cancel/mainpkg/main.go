package main

import "context"

// main.main returns only to end the process: not checked.
func main() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = ctx
	if ctx == nil {
		cancel()
	}
}

func helper() {
	ctx, cancel := context.WithCancel(context.Background()) // want "not used on all paths"
	_ = ctx
	if ctx == nil {
		cancel()
	}
}
