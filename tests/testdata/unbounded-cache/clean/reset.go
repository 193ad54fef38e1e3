package clean

import "strconv"

var batch []string

var window = map[int]string{}

func Add(n int) {
	batch = append(batch, strconv.Itoa(n))
	window[n] = strconv.Itoa(-n)
	if n%100 == 0 {
		Flush()
	}
}

// Flush truncates the batch and swaps in a new window.
func Flush() {
	batch = batch[:0]
	window = make(map[int]string)
}

var grownInTests = map[string]int{}

func Lookup2(k string) int { return grownInTests[k] }
