package main

// Seeds 001 and 003: a reader loads a whole record to return its 16-byte
// header. The header is a sub-slice, so it shares the record's backing array
// and the index that keeps the header keeps the whole record alive.

import (
	"bytes"
	"io"
	"strconv"
)

const (
	recordSize = 64 << 10
	headerSize = 16
)

// headerIndex remembers each record's header, which is all it needs.
var headerIndex [][]byte

func recordSource(id int) io.Reader {
	return io.LimitReader(bytes.NewReader(bytes.Repeat([]byte{byte(id)}, 256)), recordSize)
}

func readHeader(r io.Reader) ([]byte, error) {
	record := make([]byte, recordSize) // LEAK heap: the whole record stays alive behind the header sliced from it
	if _, err := io.ReadFull(r, record[:256]); err != nil {
		return nil, err
	}
	return record[:headerSize], nil
}

func init() {
	register("subslice", scenario{
		rate: 20,
		round: func(r, n int) {
			for i := 0; i < n; i++ {
				h, err := readHeader(recordSource(len(headerIndex)))
				if err != nil {
					fatal(err)
				}
				headerIndex = append(headerIndex, h)
			}
		},
		leakBytes: func() int { return len(headerIndex) * recordSize },
		facts: func() map[string]string {
			return map[string]string{
				"headers":       strconv.Itoa(len(headerIndex)),
				"leak_function": "main.readHeader",
			}
		},
	})
}
