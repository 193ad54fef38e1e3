package clean

import "strings"

var mimeByExt = map[string]string{}

var extList []string

// Filled once, at start-up.
func init() {
	for _, kv := range []string{"html=text/html", "css=text/css"} {
		k, v, _ := strings.Cut(kv, "=")
		mimeByExt[k] = v
		extList = append(extList, k)
	}
	loadDefaults()
}

// loadDefaults is only called from init.
func loadDefaults() {
	mimeByExt["txt"+strings.Repeat("", 0)] = "text/plain"
}

var upper = func() map[string]string {
	m := map[string]string{}
	return m
}()

func Mime(ext string) string { return mimeByExt[ext] + upper[ext] }
