package clean

import "testing"

// Tests grow it; tests do not run in production.
func TestLookup2(t *testing.T) {
	for i := 0; i < 10; i++ {
		grownInTests[t.Name()+string(rune('a'+i))] = i
	}
	if Lookup2("x") != 0 {
		t.Fatal()
	}
}
