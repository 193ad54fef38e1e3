package leaky

import "testing"

func TestDedup(t *testing.T) {
	defer func() { seenIDs = map[int64]struct{}{} }()
	for id := range seenIDs {
		delete(seenIDs, id)
	}
	if !Dedup(1) || Dedup(1) {
		t.Fatal("Dedup")
	}
}
