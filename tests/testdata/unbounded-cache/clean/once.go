package clean

import (
	"strconv"
	"sync"
)

var (
	tableOnce sync.Once
	table     map[int]string
	tableKeys []int
)

// The table is built once, lazily.
func Lookup(n int) string {
	tableOnce.Do(func() {
		table = make(map[int]string)
		for i := 0; i < 100; i++ {
			table[i] = strconv.Itoa(i)
			tableKeys = append(tableKeys, i)
		}
	})
	return table[n]
}

var loaded []int

// sync.OnceValue runs the literal once.
var loadOnce = sync.OnceValue(func() int {
	for i := 0; i < 10; i++ {
		loaded = append(loaded, i*i)
	}
	return 10
})

func Loaded() int { return loadOnce() }
