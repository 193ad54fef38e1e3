// Command subslice keeps the 16-byte header of every file it reads. Each
// header is a slice of the whole file's buffer, so the whole buffer stays
// reachable for as long as the header is kept.
package main

import (
	"os"
)

var headers [][]byte

func header(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > 16 {
		return data[:16], nil // LEAK: pins all of data
	}
	return data, nil
}

// headerFixed copies the bytes it keeps, so data can be collected.
func headerFixed(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > 16 {
		return append([]byte(nil), data[:16]...), nil
	}
	return data, nil
}

func main() {
	for _, p := range os.Args[1:] {
		if h, err := header(p); err == nil {
			headers = append(headers, h)
		}
		if h, err := headerFixed(p); err == nil {
			headers = append(headers, h)
		}
	}
}
