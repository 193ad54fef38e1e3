// Expressions and types: method expressions, conversions, func literals,
// struct tags, embedded fields, interface type sets, channel types.
package exprs

import (
	"fmt"
	. "strings"
	_ "unsafe"
	str "strconv"
)

type S struct {
	fmt.Stringer
	*T
	a, b int `json:"a"`
	c    struct{ x []*map[string]chan<- <-chan int }
	f    func(int, ...string) (bool, error)
}

type T struct{}

func (T) M(int) string { return "" }

type I interface {
	M(int) string
	fmt.Stringer
	~int | string
	comparable
}

var (
	m   = T.M
	pm  = (*T).M
	cv  = []byte("x")
	fn  = func(x int) int { return x * 2 }(3)
	c   = 'x' + 1.5i*2 - 0x1p-2
	u   = -+^!true
	ch  = make(chan (<-chan int), 1)
	r   = <-ch
	s   = `raw
string`
	x, y = str.Itoa(1), ToUpper("a")
	z    = S{a: 1, c: struct{ x []*map[string]chan<- <-chan int }{}}
	arr  = [2][]int{{1}, nil}
	mp   = map[string]int{"a": 1}
	ta   = interface{}(nil).(fmt.Stringer)
	sl   = "abc"[1:]
	cmp  = 1 < 2 && 3 >= 4 || !(5 != 6)
	sh   = 1 + 2<<3*4 - 5>>1&^6
)

const (
	A = iota
	B
	C int = 5
)
