package rebuilt

import (
	"bufio"
	"os"
	"strings"
	"sync"
)

// Rebuilt by its filler: every call starts from a fresh map, so it holds
// one file's entries however often it runs.
var (
	aliasesOnce sync.Once
	aliases     map[string]string
)

func Alias(path, name string) string {
	aliasesOnce.Do(func() { loadAliases(path) })
	return aliases[name]
}

func loadAliases(path string) {
	aliases = make(map[string]string)
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			aliases[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
}

