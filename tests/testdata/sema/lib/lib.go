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
