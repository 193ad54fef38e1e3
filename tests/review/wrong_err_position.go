// Class: the error of a call with three or more results taken from the
// wrong position.
//
// leakhound says (unclosed-body; the same code serves unclosed-rows and
// unclosed-file): "the response body from storage is not closed on all
// paths: the return on line N is reached without Body.Close()" -- and the
// return it names is the one under `if err != nil`.
//
// Wrong: on that path the call failed and there is no response. In
// src/rules/resource.c, visit() passes `a->lhs.v[1]` (and
// `v->names.v[1]` for var declarations) to check_bound as the error
// variable, i.e. the SECOND left-hand side; for `resp, headers, err :=`
// that is `headers`, so the `err != nil` branch is never pruned. The
// error is the last result (and only when its type is error).
//
// Frequency: 2 of 30 sampled non-generated unclosed-body findings
// (github.com/ncw/swift: every `resp, headers, err = c.storage(...)`,
// 18 findings in that package), plus etcd's v2 client
// `resp, body, err := c.Do(...)` in tests.
package review

import "net/http"

type swiftConn struct{ h *http.Client }

func (c *swiftConn) storage(u string) (resp *http.Response, hdr map[string]string, err error) {
	resp, err = c.h.Get(u)
	return
}

func (c *swiftConn) Bulk(u string) (n int, err error) {
	resp, headers, err := c.storage(u) // reported
	if err != nil {
		return // "reached without Body.Close()": resp is nil here
	}
	defer resp.Body.Close()
	if headers["Content-Type"] != "application/json" {
		return 0, nil
	}
	return 1, nil
}
