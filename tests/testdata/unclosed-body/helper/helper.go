// Package helper closes responses it is handed, in another package of the
// module: a call there counts as handing the response off.
package helper

import (
	"io"
	"net/http"
)

func Drain(resp *http.Response) error {
	defer resp.Body.Close()
	_, err := io.Copy(io.Discard, resp.Body)
	return err
}

// Fetch hands its response to the caller, who must close it.
func Fetch(c *http.Client, url string) (*http.Response, error) {
	return c.Get(url)
}

// Status only reads the response: handing it here closes nothing.
func Status(resp *http.Response) int {
	return resp.StatusCode
}

// ReadAll reads the body through another helper, and closes nothing.
func ReadAll(resp *http.Response) ([]byte, error) {
	return readBody(resp.Body)
}

func readBody(r io.Reader) ([]byte, error) { return io.ReadAll(r) }

// Keep stores the response: its owner is now the registry.
var kept []*http.Response

func Keep(resp *http.Response) { kept = append(kept, resp) }

// CloseLater closes it through a chain of helpers.
func CloseLater(resp *http.Response) { closeBody(resp.Body) }

func closeBody(c io.Closer) { _ = c.Close() }

// Loop passes it round a cycle: not provable, so a hand-off.
func Loop(resp *http.Response, n int) {
	if n > 0 {
		Loop(resp, n-1)
	}
}
