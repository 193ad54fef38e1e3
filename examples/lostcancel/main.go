// Command lostcancel derives a context with a timeout per request and drops
// the cancel function: the timer and the context stay alive until the
// timeout fires, however early the work finished.
package main

import (
	"context"
	"fmt"
	"time"
)

func fetch(parent context.Context, id int) string {
	ctx, _ := context.WithTimeout(parent, time.Hour) // LEAK: cancel discarded
	select {
	case <-ctx.Done():
		return ""
	default:
		return fmt.Sprint(id)
	}
}

func fetchFixed(parent context.Context, id int) string {
	ctx, cancel := context.WithTimeout(parent, time.Hour)
	defer cancel()
	select {
	case <-ctx.Done():
		return ""
	default:
		return fmt.Sprint(id)
	}
}

func main() {
	for i := 0; i < 1000000; i++ {
		_ = fetch(context.Background(), i)
		_ = fetchFixed(context.Background(), i)
	}
}
