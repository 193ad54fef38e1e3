// Class: a package-level map written only with constant keys (and keys
// read back from the map itself).
//
// leakhound says (unbounded-cache, at the declaration): "package-level map
// copyStats only grows: ReportCopyStats adds to it (line N) and nothing
// deletes from it".
//
// Wrong: every insert uses a string constant ("total", "reused",
// "pulled") or a key ranged from copyStats itself (the reset loop), so the
// map can never hold more than three entries; "only grows" is true of the
// count of inserts, not of the map. The rule could drop a map whose
// inserts all have constant keys or keys taken from ranging the same map.
// Note the line it names: the reset `copyStats[k] = 0`, a write that
// never adds a key.
//
// In the corpus: syncthing lib/model/folder_sendrecv.go:37 (`blockStats`,
// seven literal keys, reset per usage report in model.go:636): 1 of the
// 30 sampled unbounded-cache findings.
package review

import "sync"

var (
	copyStatsMu sync.Mutex
	copyStats   = make(map[string]int)
)

func NoteCopy(reused, pulled int) {
	copyStatsMu.Lock()
	copyStats["total"] += reused + pulled
	copyStats["reused"] += reused
	copyStats["pulled"] += pulled
	copyStatsMu.Unlock()
}

func ReportCopyStats() map[string]int {
	copyStatsMu.Lock()
	defer copyStatsMu.Unlock()
	out := make(map[string]int, len(copyStats))
	for k, v := range copyStats {
		out[k] = v
		copyStats[k] = 0
	}
	return out
}
