package clean

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
)

// Copies before keeping.
func Magic(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(data[:4]), nil
}

func MagicAppend(path string) []byte {
	data, _ := os.ReadFile(path)
	return append([]byte(nil), data[:4]...)
}

func MagicCopy(path string) []byte {
	data, _ := os.ReadFile(path)
	out := make([]byte, 4)
	copy(out, data[:4])
	return out
}

// string(b[i:j]) copies the bytes.
func Title(path string) string {
	data, _ := os.ReadFile(path)
	return string(data[6:38])
}

func TitleClone(path string) string {
	data, _ := os.ReadFile(path)
	s := string(data)
	return strings.Clone(s[:32])
}

// Used only locally.
func IsPNG(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	head := data[:8]
	return bytes.Equal(head, []byte("\x89PNG\r\n\x1a\n"))
}

// The whole buffer is not a small part of it.
func Whole(path string) []byte {
	data, _ := os.ReadFile(path)
	return data[0:]
}

func WholeLen(path string) []byte {
	data, _ := os.ReadFile(path)
	return data[:len(data)]
}

// A small buffer, not a whole-file read.
func Peek(r io.Reader) []byte {
	buf := make([]byte, 512)
	n, _ := io.ReadFull(r, buf)
	return buf[:n][:4]
}

func PeekLimited(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, 64))
	return b[:8]
}

// A bound of unknown origin is not proven small.
func Prefix(path string, n int) []byte {
	data, _ := os.ReadFile(path)
	return data[:n]
}

// Splitting one buffer into lines: together they are the buffer.
func Lines(path string) []string {
	data, _ := os.ReadFile(path)
	s := string(data)
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return out
}

// A local reassigned with a copy is not followed.
func Header(resp *http.Response) []byte {
	body, _ := io.ReadAll(resp.Body)
	h := body[:16]
	h = bytes.Clone(h)
	return h
}

// Passed to a function we cannot see into.
func Log(path string, w *bufio.Writer) {
	data, _ := os.ReadFile(path)
	w.Write(data[:80])
}

// A slice of a scanner's line, not a whole read.
func Words(sc *bufio.Scanner) [][]byte {
	var out [][]byte
	for sc.Scan() {
		out = append(out, bytes.Clone(sc.Bytes()[:3]))
	}
	return out
}

// A function literal's result goes to its caller: not followed.
func Lazy(path string) func() []byte {
	data, _ := os.ReadFile(path)
	return func() []byte { return data }
}
