package clean

// Writes under keys the map already has (a range over itself) replace
// entries; constant keys are a fixed set.
var tallies = make(map[string]int)

func Tally(hit bool) {
	tallies["all"]++
	if hit {
		tallies["hit"]++
	}
}

func ResetTallies() map[string]int {
	out := make(map[string]int, len(tallies))
	for k, v := range tallies {
		out[k] = v
		tallies[k] = 0
	}
	return out
}
