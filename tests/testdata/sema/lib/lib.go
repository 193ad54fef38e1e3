// Package lib is imported by app: its declarations must be visible there.
package lib

import "net/http"

type Client struct {
	HTTP  *http.Client
	Limit int
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func New() *Client { return &Client{HTTP: http.DefaultClient} }

func (c *Client) Fetch(url string) (*http.Response, error) {
	return c.HTTP.Get(url) //@ c *example.com/sema/lib.Client
}

func Size() int { return 4 }

const Buf = 2 * Depth

const Depth = 8

// An anonymous struct type of lib reached from app's package-level var:
// freezing app must not touch it (ASan caught it once).
var Conf = struct{ Name string }{"x"} //@ Conf struct{...}
