package clean

var scores = map[string]int{}

func Score(user string, pts int) {
	scores[user] = pts * 2
}

// The map is handed to prune, which may delete: not proven.
func Tidy() {
	prune(scores)
}

func prune(m map[string]int) {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
}

var aliases = map[string]string{}

func Alias(a, b string) {
	aliases[a+"!"] = b + "!"
}

// Its address escapes: whoever holds it may reset it.
func Registry() *map[string]string { return &aliases }
