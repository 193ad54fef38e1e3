package main

// Seed 004: the service asks another service for a price and only looks at
// the status code; resp.Body is never closed. The transport can neither
// reuse nor release the connection: each call leaves a connection, its
// read and write buffers and its two transport goroutines behind. The other
// service listens on another loopback port of the same process.

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
)

var (
	priceURL    string
	priceClient = &http.Client{}
)

// fetchPrice asks the price service about one item.
func fetchPrice(item int) (bool, error) {
	resp, err := priceClient.Get(priceURL + "?item=" + strconv.Itoa(item)) // LEAK conn: resp.Body is never closed
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

func init() {
	item := 0
	register("body", scenario{
		rate: 40,
		setup: func() {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				fatal(err)
			}
			mux := http.NewServeMux()
			mux.HandleFunc("/price", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"item":%q,"price":42}`, r.URL.Query().Get("item"))
			})
			go func() { fatal(http.Serve(ln, mux)) }()
			priceURL = "http://" + ln.Addr().String() + "/price"
		},
		step: func(n int) {
			for i := 0; i < n; i++ {
				item++
				ok, err := fetchPrice(item)
				if err != nil {
					fatal(err)
				}
				if !ok {
					fatal(fmt.Errorf("price service failed for item %d", item))
				}
			}
		},
	})
}
