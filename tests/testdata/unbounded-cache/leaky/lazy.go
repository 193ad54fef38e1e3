package leaky

import "strconv"

var squares map[int]string // want `map squares only grows: Square adds to it`

// Square initialises the map lazily: that is not a reset.
func Square(n int) string {
	if squares == nil {
		squares = make(map[int]string)
	}
	if s, ok := squares[n]; ok {
		return s
	}
	s := strconv.Itoa(n * n)
	squares[n] = s
	return s
}

// interned: an exported function storing its parameter under itself is an
// interning table, not a registry.
var interned = map[string]string{} // want `map interned only grows: Intern adds to it`

func Intern(s string) string {
	if v, ok := interned[s]; ok {
		return v
	}
	interned[s] = s
	return s
}
