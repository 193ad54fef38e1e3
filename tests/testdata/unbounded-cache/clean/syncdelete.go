package clean

import (
	"sync"
	"time"
)

var conns sync.Map

type conn struct{ opened time.Time }

func Open(id string) {
	conns.Store(id, &conn{opened: time.Now()})
}

func Close(id string) {
	conns.Delete(id)
}

var pending sync.Map

func Start(id string) {
	pending.LoadOrStore(id, time.Now())
}

// Sweep drops stale entries from inside Range.
func Sweep() {
	pending.Range(func(k, v any) bool {
		if time.Since(v.(time.Time)) > time.Hour {
			pending.Delete(k)
		}
		return true
	})
}
