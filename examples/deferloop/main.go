// Command deferloop processes files forever and defers each Close inside the
// loop: the deferred calls (and the files they hold) only run when
// processForever returns, which it never does.
package main

import (
	"log"
	"os"
	"time"
)

func processForever(paths <-chan string) {
	for path := range paths {
		f, err := os.Open(path)
		if err != nil {
			log.Print(err)
			continue
		}
		defer f.Close() // LEAK: runs only when processForever returns
		buf := make([]byte, 4096)
		_, _ = f.Read(buf)
	}
}

// processOne is the fix: one function call per file, so each defer runs at
// the end of its own iteration.
func processOne(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	_, err = f.Read(buf)
	return err
}

func main() {
	paths := make(chan string)
	go func() {
		for {
			paths <- os.Args[0]
			time.Sleep(time.Millisecond)
		}
	}()
	_ = processOne(os.Args[0])
	processForever(paths)
}
