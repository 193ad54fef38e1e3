// A server whose handler, a function literal, runs per request.
package main

import (
	"io"
	"log"
	"net/http"
)

var bodies = map[string][]byte{} // want `map bodies only grows: a function literal in main adds to it \(line 20\)`

var lines []string // want `slice lines only grows: a function literal in main appends to it`

func main() {
	http.HandleFunc("/put", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		bodies[r.URL.Path] = b
	})
	go func() {
		for l := range feed() {
			lines = append(lines, l)
		}
	}()
	log.Fatal(http.ListenAndServe(":8080", nil))
}

func feed() chan string { return make(chan string) }
