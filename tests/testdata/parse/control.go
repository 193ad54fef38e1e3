// Control clauses: the composite-literal ambiguity, labels, goto, select,
// every statement form.
package control

type T struct{ a, b int }

func f(ch chan int, done <-chan struct{}, out chan<- int) (n int, err error) {
	if (T{1, 2}) == (T{}) {
		n++
	}
	if x := (T{a: 1}); x.a > 0 {
		n--
	} else if x.b < 0 {
		n += 2
	} else {
		n -= 2
	}
	for _, v := range []T{{1, 2}, {3, 4}} {
		n += v.a
	}
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			continue
		}
	}
	for range ch {
		break
	}
	for {
		break
	}
outer:
	for i := range [3]int{} {
		switch {
		case i == 1:
			continue outer
		case i > 1:
			break outer
		default:
			fallthrough
		case false:
		}
	}
	switch x := n; x {
	case 1, 2:
	}
	var i interface{} = n
	switch v := i.(type) {
	case int, *T:
		_ = v
	case nil:
	}
	select {
	case v, ok := <-ch:
		_, _ = v, ok
	case out <- 1:
	case <-done:
		goto end
	default:
	}
end:
	go func() { ch <- 1 }()
	defer close(ch)
	{
	}
	;
	x := [...]int{1, 2, 3}
	x[1:2:3][0] = 1
	_ = x[:]
	p := &x
	*p = [3]int{}
	n, err = 1, nil
	n <<= 1
	n &^= 3
	return
}
