// Command ticker polls with a fresh ticker per call and never stops it.
// Before Go 1.23 an unstopped ticker is never collected.
package main

import (
	"fmt"
	"time"
)

func waitTicks(n int) {
	t := time.NewTicker(time.Millisecond) // LEAK: never stopped
	for i := 0; i < n; i++ {
		<-t.C
	}
}

func waitTicksFixed(n int) {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for i := 0; i < n; i++ {
		<-t.C
	}
}

func main() {
	for {
		waitTicks(3)
		waitTicksFixed(3)
		fmt.Print(".")
	}
}
