package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"

	"example.com/body/helper"
	"golang.org/x/sync/errgroup"
)

// Seed 004's fix.
func doSomethingFixed() {
	defer func() { done <- true }()
	resp, err := http.Get("https://example.com/")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.ReadAll(resp.Body)
	}
}

// Closed in a deferred closure.
func deferredClosure(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer func() {
		_ = resp.Body.Close()
	}()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Closed in a helper in another package of the module.
func drained(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return helper.Drain(resp)
}

// Returned to the caller.
func get(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Kept in a struct.
type fetcher struct{ last *http.Response }

func (f *fetcher) keep(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	f.last = resp
	return nil
}

// Stored directly in a field.
func (f *fetcher) keepField(url string) (err error) {
	f.last, err = http.Get(url)
	return err
}

// Body handed to errgroup.
func group(ctx context.Context, url string) error {
	g, _ := errgroup.WithContext(ctx)
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	g.Go(func() error { return resp.Body.Close() })
	return g.Wait()
}

// The body alone handed on: the caller closes it.
func body(url string) (io.ReadCloser, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Closed in the loop on every path.
func pollFixed(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// A nil check guarding the defer.
func nilGuard(url string) int {
	resp, err := http.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Sent to another goroutine.
func sent(url string, out chan<- *http.Response) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	out <- resp
}

// A type we do not know: no judgement.
type myClient interface{ Get(string) (*http.Response, error) }

func unknownClient(c myClient) int {
	resp, err := c.Get("x")
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Helpers that keep it, close it through a chain, or recurse.
func kept(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	helper.Keep(resp)
}

func closedByChain(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	helper.CloseLater(resp)
}

func recursive(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	helper.Loop(resp, 3)
}

// A decoder kept in a variable, the body closed by its owner.
func decodeClosed(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	return dec.Decode(v)
}

// The decoder returned: the caller reads through it and owns the body.
func decoderFor(url string) (*json.Decoder, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(resp.Body)
	return dec, nil
}
