// Class: unclosed-body on the path where resp.Body is nil.
//
// leakhound says: "the response body from doRequest is not closed on all
// paths: the return on line N is reached without Body.Close()".
//
// Wrong: the only path without Close is the one where resp.Body == nil,
// and a nil body has nothing to close. The path search prunes `resp != nil`
// / `resp == nil` (nil_test in src/sema/flow.c) but not the same test on
// the release field, `resp.Body != nil`, so the false branch of the guard
// reaches the return "owning" a body that is not there.
//
// Frequency: 12,910 of the corpus' 13,315 unclosed-body findings -- every
// generated Do method of google.golang.org/api has this shape (the first
// `if` is the NotModified early return; the body is closed further down by
// `defer googleapi.CloseBody(res)`).
package review

import (
	"errors"
	"net/http"
)

func doRequest(c *http.Client, req *http.Request) (*http.Response, error) {
	return c.Do(req)
}

func BodyNilGuard(c *http.Client, req *http.Request) error {
	res, err := doRequest(c, req) // reported here
	if res != nil && res.StatusCode == http.StatusNotModified {
		if res.Body != nil {
			res.Body.Close()
		}
		return errors.New("not modified") // "reached without Body.Close()"
	}
	if err != nil {
		return err
	}
	return res.Body.Close()
}
