package file

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
)

// Seed 001's processManyFiles leaks through defer-in-loop, not here; these
// leak by path.
func readEarly(name string) ([]byte, error) {
	f, err := os.Open(name) // want "unclosed-file: the file from os.Open is not closed on all paths: the return on line 19"
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	f.Close()
	return data, nil
}

func never(name string) int {
	f, err := os.Open(name) // want "os.Open is not closed"
	if err != nil {
		return 0
	}
	data, _ := io.ReadAll(f)
	return len(data)
}

// The scanner wrapping f is kept in a variable that goes nowhere: f is
// still the only way to close the file, and nobody does.
func scanned(name string) int {
	f, err := os.Open(name) // want "unclosed-file: the file from os.Open is not closed on all paths: the return on line 46"
	if err != nil {
		return 0
	}
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n
}

// The wrapper returned carries the file with it.
func wrapped(name string) (*bufio.Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return bufio.NewReader(f), nil
}

func create(name string, data []byte) error {
	f, err := os.Create(name) // want "os.Create is not closed"
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

func openFile(name string) error {
	f, err := os.OpenFile(name, os.O_APPEND, 0o644) // want "os.OpenFile is not closed"
	if err != nil {
		return err
	}
	if _, err := f.WriteString("x"); err != nil {
		return err
	}
	return f.Close()
}

func temp() (string, error) {
	f, err := os.CreateTemp("", "x") // want "os.CreateTemp is not closed"
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}

func perTurn(names []string) {
	for _, n := range names {
		f, err := os.Open(n) // want "next iteration"
		if err != nil {
			continue
		}
		_, _ = io.Copy(os.Stdout, f)
	}
}

func discarded(name string) {
	_, _ = os.Open(name) // want "discarded"
}

func stat(name string) int64 {
	f, err := os.Open(name) // want "os.Open is not closed"
	if err != nil {
		return 0
	}
	st, err := f.Stat()
	if err != nil {
		return 0
	}
	f.Close()
	return st.Size()
}

// Clean look-alikes.

func deferred(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func returned(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func returnedAsReader(name string) (io.ReadCloser, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return f, nil
}

type logger struct{ out *os.File }

func (l *logger) open(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	l.out = f
	return nil
}

func closedEveryPath(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if _, err := io.ReadAll(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func handedOff(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return process(f)
}

func process(f *os.File) error { return f.Close() }

func deferredClosure(name string) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = f.WriteString("x")
	return err
}

func loopClosed(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		f.Close()
	}
}

func exits(name string) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	if f.Name() == "" {
		os.Exit(1)
	}
}

// The error tested with a predicate, or later than the next statement:
// the failing branch owns no file.
func predicate(name string) error {
	f, err := os.OpenFile(name, os.O_RDONLY, 0)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func laterCheck(name string) error {
	f, err := os.Open(name)
	n := len(name)
	_ = n
	if err == nil {
		f.Close()
	}
	return err
}

func retry(names []string) (*os.File, error) {
	for _, n := range names {
		f, err := os.Open(n)
		if os.IsNotExist(err) {
			continue
		}
		return f, err
	}
	return nil, nil
}

// Wrappers kept in local variables, read through and dropped: leaks.
func decodeKept(name string, v any) error {
	f, err := os.Open(name) // want "os.Open is not closed"
	if err != nil {
		return err
	}
	var dec = json.NewDecoder(f)
	for dec.More() {
		if err := dec.Decode(v); err != nil {
			return err
		}
	}
	return nil
}

func limitKept(name string) ([]byte, error) {
	f, err := os.Open(name) // want "os.Open is not closed"
	if err != nil {
		return nil, err
	}
	var r io.Reader
	r = io.LimitReader(f, 1<<20)
	return io.ReadAll(r)
}

func countLines(sc *bufio.Scanner) int {
	n := 0
	for sc.Scan() {
		n++
	}
	return n
}

// Handed to a helper of the package that only reads it: still a leak.
func scannedHelper(name string) int {
	f, err := os.Open(name) // want "os.Open is not closed"
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(f)
	return countLines(sc)
}

// The same wrappers going somewhere carry the file with them: silent.
func wrapperReturnedLater(name string) (*bufio.Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(f)
	return r, nil
}

type lineReader struct {
	sc *bufio.Scanner
	rc io.ReadCloser
}

func wrapperStored(name string, lr *lineReader) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	lr.sc = sc
	return nil
}

func wrapperInLiteral(name string) (*lineReader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	return &lineReader{sc: sc}, nil
}

func wrapperCaptured(name string, lines chan<- string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return nil
}

// A wrapper's Close may close what it wraps: not followed.
func wrapperClosed(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	rc := io.NopCloser(f)
	defer rc.Close()
	return io.ReadAll(rc)
}

// Closed by its owner, wrapped or not: clean.
func scannedClosed(name string) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	return countLines(sc)
}
