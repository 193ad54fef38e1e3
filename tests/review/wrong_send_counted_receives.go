// Class: a goroutine that sends a fixed number of times (a counted loop)
// to a maker that receives as many times, in straight-line code.
//
// leakhound says (goroutine-blocked-send): "goroutine sends on got
// (unbuffered, made on line N), but the maker receives from it only once
// (line M) while several goroutines send: the send blocks forever and the
// goroutine leaks".
//
// Wrong on two counts: there is one goroutine, whose send sits in a loop
// of exactly two turns, and the maker receives twice (the second receive
// is later in the same block, not in a branch). The rule seems to take a
// send inside any loop as "several senders" and to count only the first
// receive. A send in a `for i := 0; i < K; i++` loop with constant K is K
// sends; K receives on every path of the maker (or a receive loop of K
// turns) match them.
//
// In the corpus: go.etcd.io/etcd/pkg/proxy/server_test.go:98 (two
// `receive(t, ln)` sends, receives on lines 106 and 120): 1 of the 30
// sampled. Its only leaking paths are the t.Fatalf exits between the two
// receives (harmless in a test), not the one the message names.
package review

func countedWork(i int) int { return i * 2 }

func CountedReceives() int {
	got := make(chan int)
	go func() {
		for i := 0; i < 2; i++ {
			got <- countedWork(i)
		}
	}()
	a := <-got
	b := <-got
	return a + b
}
