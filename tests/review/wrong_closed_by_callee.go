// Class: a module function that returns an *http.Response whose body it
// has already read and closed.
//
// leakhound says (unclosed-body): "the response body from Receive is not
// closed on all paths" / "... from DoGetFallback is discarded, so it is
// never closed".
//
// Wrong: unclosed_body.c's source() takes every function of the module
// whose first result is an *http.Response as handing an open response to
// its caller. Many client wrappers return the response only for its status
// and headers, after `defer resp.Body.Close()` (dghubble/sling's Do and
// Receive, the prometheus API client's Do/DoGetFallback which return the
// body as []byte, etcd's v2 client Do, ncw/swift's storage with
// NoResponse: true). The module summaries flow.c already computes for
// parameters could do the same for results: a function that releases the
// response on every path before returning it is not a source.
//
// Frequency: 4 of 30 sampled non-generated unclosed-body findings, plus
// sling_test.go in the 30 sampled from all findings.
package review

import (
	"io"
	"net/http"
)

// receive returns the response for its status and headers; the body has
// been read into *out and closed.
func receive(c *http.Client, url string, out *[]byte) (*http.Response, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	*out, err = io.ReadAll(resp.Body)
	return resp, err
}

func ClosedByCallee(c *http.Client, url string) (int, error) {
	var b []byte
	resp, err := receive(c, url, &b) // reported: "not closed on all paths"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // "reached without Body.Close()"
}

func ClosedByCalleeDiscarded(c *http.Client, url string) ([]byte, error) {
	var b []byte
	_, err := receive(c, url, &b) // reported: "discarded, so it is never closed"
	return b, err
}
