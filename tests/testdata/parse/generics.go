// Generics: type parameter lists, constraints with ~ and |, instantiation
// with one and more arguments, generic types and methods on generic receivers.
package generics

type Number interface {
	~int | ~int64 | float64
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

type List[T any] []T

type Ptr[T any, PT interface{ *T }] struct{ p PT }

type A[P *int] int          // a type parameter list, not an array
type B [N * 2]int           // an array
type C[P *T | U, Q any] int // type set in the first constraint

func Map[S ~[]E, E, R any](s S, f func(E) R) []R {
	r := make([]R, 0, len(s))
	for _, v := range s {
		r = append(r, f(v))
	}
	return r
}

func (p *Pair[K, V]) Swap() Pair[V, K] { return Pair[V, K]{p.Val, p.Key} }

func (l List[_]) Len() int { return len(l) }

func use() {
	_ = Map[[]int, int, string]
	_ = Map[[]int](nil, nil)
	var _ Pair[string, List[int]]
	f := Sum[int]
	_ = f
}

func Sum[T Number](xs ...T) (s T) {
	for _, x := range xs {
		s += x
	}
	return
}
