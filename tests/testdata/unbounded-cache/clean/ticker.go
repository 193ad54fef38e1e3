package clean

import (
	"strconv"
	"time"
)

var (
	rendered = map[int]string{}
	order    []int
)

func Render(n int) string {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := rendered[n]; ok {
		return s
	}
	s := strconv.Itoa(n)
	rendered[n] = s
	order = append(order, n)
	return s
}

// A ticker goroutine throws the cache away every minute.
func init() {
	go func() {
		for range time.Tick(time.Minute) {
			mu.Lock()
			rendered = map[int]string{}
			order = order[:0]
			mu.Unlock()
		}
	}()
}
