// Seed 003's cache, bounded as the post advises: an LRU of fixed size.
package seed003fixed

import "container/list"

const maxEntries = 1000

type entry struct {
	key, val string
}

var (
	cache = make(map[string]*list.Element)
	order = list.New()
)

func handleRequest(key string) string {
	if el, ok := cache[key]; ok {
		order.MoveToFront(el)
		return el.Value.(*entry).val
	}
	val := "some calculated value"
	cache[key] = order.PushFront(&entry{key, val})
	if order.Len() > maxEntries {
		last := order.Back()
		order.Remove(last)
		delete(cache, last.Value.(*entry).key)
	}
	return val
}

func Serve(keys <-chan string) {
	for k := range keys {
		_ = handleRequest(k)
	}
}
