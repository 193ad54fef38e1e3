package leaky

import "fmt"

var uniq = map[string]int{} // want `map uniq only grows: connName adds to it`

func connName(base string) string {
	uniq[base]++
	return fmt.Sprintf("%s-%d", base, uniq[base])
}

// The remote address is a key per client.
func RemoteName(addr string) string { return connName(addr) }
