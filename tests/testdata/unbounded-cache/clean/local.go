package clean

// A map local to the function dies with it.
func Count(words []string) map[string]int {
	m := map[string]int{}
	for _, w := range words {
		m[w]++
	}
	return m
}

// Exported: another package may evict from it.
var Exported = map[string]int{}

func Put(k string, v int) { Exported[k+"/"] = v * v }
