// Command bodyclose calls a service and only closes the response body when
// the status is not OK: every successful response keeps its connection, its
// buffers and the transport's goroutines alive.
package main

import (
	"io"
	"log"
	"net/http"
	"time"
)

func check(url string) (int, error) {
	resp, err := http.Get(url) // LEAK: resp.Body is not closed on the OK path
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

// checkFixed closes the body on every path, right after the error check.
func checkFixed(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

func main() {
	for {
		if _, err := check("http://127.0.0.1:8080/health"); err != nil {
			log.Print(err)
		}
		if _, err := checkFixed("http://127.0.0.1:8080/health"); err != nil {
			log.Print(err)
		}
		time.Sleep(time.Second)
	}
}
