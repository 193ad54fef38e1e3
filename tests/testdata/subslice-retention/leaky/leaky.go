package leaky

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"
)

type Manifest struct {
	Magic   []byte
	Version string
	Name    string
}

// A field of the result keeps the file.
func ParseManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Magic: data[:4]} // want `data\[:4\] is returned but keeps the whole buffer from os.ReadFile alive`
	return m, nil
}

// A substring of the converted text keeps the whole string.
func FirstLine(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := string(data)
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return s, nil
	}
	return s[:i], nil // want `s\[:i\] is returned but keeps the whole string made from os.ReadFile's buffer alive; copy it: strings.Clone\(s\[:i\]\)`
}

type cache struct {
	etag map[string][]byte
	last []byte
}

// Stored through the receiver: lives as long as the cache.
func (c *cache) Fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	c.last = body[:16]       // want `body\[:16\] is stored in a field but keeps the whole buffer from io.ReadAll alive`
	c.etag[url] = body[8:40] // want `body\[8:40\] is stored in a map or slice but keeps the whole buffer from io.ReadAll alive`
	return nil
}

var lastMagic []byte

// A package-level variable.
func Sniff(name string) {
	b, err := os.ReadFile(name)
	if err != nil {
		return
	}
	lastMagic = b[:8] // want `b\[:8\] is stored in a package-level variable but keeps the whole buffer`
}

// Sent on a channel, through a local.
func Tags(names []string, out chan<- []byte) {
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		tag := data[len(data)-128:] // want `data\[len\(data\)-128:\] is sent on a channel but keeps the whole buffer`
		out <- tag
	}
}

// Collected per file and returned: every file stays in memory.
func Headers(names []string) [][]byte {
	var hdrs [][]byte
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		hdrs = append(hdrs, data[:512]) // want `data\[:512\] is returned but keeps`
	}
	return hdrs
}

// A named result and a bare return.
func Version(path string) (v []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	start := bytes.Index(data, []byte("v="))
	v = data[start : start+8] // want `data\[start : start\+8\] is returned but keeps`
	return
}

// Through a trimmed buffer and a map of the caller's.
func Index(paths []string, into map[string]string) {
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		text := strings.TrimSpace(string(raw))
		into[p] = text[:32] // want `text\[:32\] is stored in a map or slice but keeps the whole string made from os.ReadFile's buffer alive`
	}
}

// The ioutil-era body read.
func Status(resp *http.Response) string {
	body, _ := io.ReadAll(resp.Body)
	line := string(body)
	return line[:strings.Index(line, " ")] // want `is returned but keeps the whole string made from io.ReadAll's buffer`
}

// A bound found with LastIndexByte.
func Dir(path string) string {
	b, _ := os.ReadFile(path)
	s := string(b)
	return s[:strings.LastIndexByte(s, '/')] // want `is returned but keeps the whole string made from os.ReadFile's buffer`
}
