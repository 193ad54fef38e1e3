package main

// Seed 004: a handler calls another service and only looks at the status
// code, never closing resp.Body. The transport cannot reuse or release the
// connection, so every call leaves a connection, its buffers and its
// readLoop/writeLoop goroutines behind. The other service is an
// httptest.Server on 127.0.0.1 in the same process, so its per-connection
// goroutine (conn.serve) stays as well.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

var (
	backend *httptest.Server
	// The backend's answers can be large, so the client reads in bigger
	// chunks than the transport's 4 KB default.
	backendClient = &http.Client{Transport: &http.Transport{ReadBufferSize: 16 << 10}}
	requests      int
)

// callBackend is what the leaking handler does for each incoming request.
func callBackend(url string) (int, error) {
	resp, err := backendClient.Get(url) // LEAK body: resp.Body is never closed
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func init() {
	register("body", scenario{
		setup: func() {
			reply := `{"items":[` + strings.Repeat(`{"id":1,"ok":true},`, 40) + `{}]}`
			backend = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, reply)
			}))
		},
		rate: 30,
		round: func(r, n int) {
			for i := 0; i < n; i++ {
				status, err := callBackend(backend.URL + "/items?page=" + strconv.Itoa(requests))
				if err != nil {
					fatal(err)
				}
				if status != http.StatusOK {
					fatal(fmt.Errorf("backend answered %d", status))
				}
				requests++
			}
		},
		facts: func() map[string]string {
			return map[string]string{
				"requests":      strconv.Itoa(requests),
				"leak_function": "main.callBackend",
			}
		},
	})
}
