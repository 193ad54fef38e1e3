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
