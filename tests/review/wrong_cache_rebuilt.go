// Class: a package-level map that the function filling it first replaces
// with a fresh one.
//
// leakhound says (unbounded-cache, at the declaration): "package-level map
// ctxLabels only grows: loadCtxLabels adds to it (line N) and nothing
// deletes from it".
//
// Wrong: `ctxLabels = make(map[string]string)` at the top of
// loadCtxLabels drops every earlier entry, so the map holds one file's
// worth of lines, never more; the issue's own list of what makes a map
// bounded includes reassignment anywhere in the package. The rule seems
// to skip a reassignment that sits in the same function as the inserts
// (perhaps taking `x = make(...)` there as the map's initialisation). A
// rebuild-then-fill is a bounded map; only a reassignment in init (or
// the declaration) is initialisation.
//
// In the corpus: opencontainers/selinux go-selinux/selinux_linux.go:85
// (`labels`, rebuilt by loadLabels, itself run under a sync.Once): 1 of
// the 30 sampled unbounded-cache findings.
package review

import (
	"bufio"
	"os"
	"strings"
	"sync"
)

var (
	ctxLabelsOnce sync.Once
	ctxLabels     map[string]string
)

func loadCtxLabels(path string) {
	ctxLabels = make(map[string]string)
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok {
			ctxLabels[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
}

func CtxLabel(path, key string) string {
	ctxLabelsOnce.Do(func() { loadCtxLabels(path) })
	return ctxLabels[key]
}
