// Command jsonq checks that its input is one well-formed JSON document and
// prints every scalar in it as "path<TAB>value", e.g.
//
//	entries.0.file	/work/main/tests/goleaks/cache.go
//
// The runtime tests use it instead of jq or python, which the CI machine does
// not install; Go is installed because the tests build Go programs anyway.
// Exit status 2 and a message on stderr when the input is not valid JSON
// (NaN and Inf, which C's printf happily produces, are not).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	in := io.Reader(os.Stdin)
	name := "stdin"
	if len(os.Args) > 1 && os.Args[1] != "-" {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fail(err.Error())
		}
		defer f.Close()
		in, name = f, os.Args[1]
	}
	dec := json.NewDecoder(in)
	dec.UseNumber()
	var doc interface{}
	if err := dec.Decode(&doc); err != nil {
		fail(name + ": invalid JSON: " + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		fail(name + ": invalid JSON: trailing data after the document")
	}
	w := bufio.NewWriter(os.Stdout)
	walk(w, "", doc)
	w.Flush()
}

func walk(w *bufio.Writer, path string, v interface{}) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch v := v.(type) {
	case map[string]interface{}:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walk(w, join(k), v[k])
		}
	case []interface{}:
		for i, e := range v {
			walk(w, join(strconv.Itoa(i)), e)
		}
	case string:
		fmt.Fprintf(w, "%s\t%s\n", path, strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(v))
	case nil:
		fmt.Fprintf(w, "%s\tnull\n", path)
	default:
		fmt.Fprintf(w, "%s\t%v\n", path, v)
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "jsonq:", msg)
	os.Exit(2)
}
