package app

import (
	"encoding/json"
	"errors"
	"io/ioutil"
	"log"
	"net/http"

	"example.com/body/helper"
)

var errStatus = errors.New("status")

var done chan bool

// Seed 004: the body is closed only when the status is not OK.
func doSomething() {
	defer func() { done <- true }()
	resp, err := http.Get("https://example.com/") // want "unclosed-body: the response body from http.Get is not closed on all paths: the end of the function"
	if err != nil {
		log.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		_, err = ioutil.ReadAll(resp.Body)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
	}
}

// An early return on a bad status.
func status(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req) // want "from \(\*http.Client\).Do is not closed on all paths: the return on line 40"
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return errStatus
	}
	defer resp.Body.Close()
	return nil
}

// Read with a decoder, never closed.
func decode(url string, v any) error {
	resp, err := http.Get(url) // want "not closed on all paths: the return on line 52"
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// The decoder kept in a variable reads the body and is dropped; nobody
// closes the body.
func decodeAll(url string, v []any) error {
	resp, err := http.Get(url) // want "not closed on all paths: the return on line 6[0-9]"
	if err != nil {
		return err
	}
	dec := json.NewDecoder(resp.Body)
	for i := range v {
		if err := dec.Decode(&v[i]); err != nil {
			return err
		}
	}
	return nil
}

// The response dropped on the floor.
func fireAndForget(url string) {
	http.Post(url, "text/plain", nil) // want "from http.Post is discarded"
	_, _ = http.Head(url)             // want "from http.Head is discarded"
}

// One leak per turn of the loop.
func poll(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u) // want "the loop's next iteration starts"
		if err != nil {
			continue
		}
		if resp.StatusCode == 200 {
			resp.Body.Close()
		}
	}
}

// A module function returning a response hands it to us.
func viaHelper(c *http.Client) int {
	resp, err := helper.Fetch(c, "https://example.com/") // want "from Fetch is not closed"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// The transport's round trip.
func roundTrip(rt http.RoundTripper, req *http.Request) string {
	resp, err := rt.RoundTrip(req) // want "RoundTrip is not closed"
	if err != nil {
		return ""
	}
	return resp.Status
}

// var form.
func varForm(url string) int {
	var resp, err = http.Get(url) // want "unclosed-body"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

// Handed to helpers of another package that only read it.
func onlyRead(url string) (int, error) {
	resp, err := http.Get(url) // want "from http.Get is not closed on all paths"
	if err != nil {
		return 0, err
	}
	if _, err := helper.ReadAll(resp); err != nil {
		return 0, err
	}
	return helper.Status(resp), nil
}

// The failure test shares its branch with a status check: on a 404 the
// call succeeded and the body is left open.
func statusOrFail(url string) error {
	resp, err := http.Get(url) // want "from http.Get is not closed on all paths: the return on line"
	if err != nil || resp.StatusCode != http.StatusOK {
		return errStatus
	}
	defer resp.Body.Close()
	return nil
}

// A client's Get is named as the method it is, not as the function http.Get.
func viaClientGet(c *http.Client, url string) int {
	resp, err := c.Get(url) // want "from \(\*http.Client\).Get is not closed on all paths"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
