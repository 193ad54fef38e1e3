package leaky

var seenIDs = map[int64]struct{}{} // want `map seenIDs only grows: Dedup adds to it`

// Dedup drops repeated ids; only the tests ever reset the set.
func Dedup(id int64) bool {
	if _, ok := seenIDs[id]; ok {
		return false
	}
	seenIDs[id] = struct{}{}
	return true
}
