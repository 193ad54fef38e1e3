package main

// Seed 001: a function reads a whole file and returns a few bytes of it.
// The caller keeps the last signatures it saw -- "16 bytes each, a bounded
// list, harmless" -- but each 16-byte sub-slice keeps its file's whole 64 KB
// buffer reachable.

import (
	"os"
	"path/filepath"
)

var (
	uploadPath string
	recent     [][]byte
)

const maxRecent = 100000

// signature returns the first 16 bytes of the file.
func signature(path string) ([]byte, error) {
	data, err := os.ReadFile(path) // LEAK heap: the whole file stays behind its first 16 bytes
	if err != nil {
		return nil, err
	}
	return data[:16], nil
}

func init() {
	register("subslice", scenario{
		rate: 20,
		setup: func() {
			dir, err := os.MkdirTemp("", "svc-subslice")
			if err != nil {
				fatal(err)
			}
			uploadPath = filepath.Join(dir, "upload.bin")
			blob := make([]byte, 64<<10)
			for i := range blob {
				blob[i] = byte(i * 7)
			}
			if err := os.WriteFile(uploadPath, blob, 0o600); err != nil {
				fatal(err)
			}
		},
		step: func(n int) {
			for i := 0; i < n; i++ {
				sig, err := signature(uploadPath)
				if err != nil {
					fatal(err)
				}
				recent = append(recent, sig)
				if len(recent) > maxRecent {
					recent = recent[1:]
				}
			}
		},
	})
}
