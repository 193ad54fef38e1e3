// Miss: the body (or the resource) copied into another local variable.
//
// leakhound reports nothing here; the body is never closed.
//
// In flow.c's occurrence(), `resp.Body` that is neither `.Close()`d,
// `.Read()`, nor an argument of a stub counts as LH_FLOW_HANDOFF ("anything
// else hands the body on"), and so does `f2 := f`. A plain assignment to
// a local variable of the same function is not a hand-off: the search
// could follow the alias (treat its uses as uses of the resource) instead
// of stopping.
package review

import (
	"io"
	"net/http"
	"os"
)

func MissBodyAlias(url string) ([]byte, error) {
	resp, err := http.Get(url) // not reported
	if err != nil {
		return nil, err
	}
	body := resp.Body
	return io.ReadAll(body)
}

func MissFileAlias(name string) (int64, error) {
	f, err := os.Open(name) // not reported
	if err != nil {
		return 0, err
	}
	r := f
	return io.Copy(io.Discard, r)
}
