// Command gotok prints go/scanner's tokens, comments and errors for each
// file in the form tests/lexdiff/ctok.c prints leakhound's, so the two can
// be compared byte for byte (tests/t_lex_diff.sh).
package main

import (
	"bufio"
	"fmt"
	"go/scanner"
	"go/token"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Fragments that steer a Go lexer: number prefixes and separators, quotes
// and escapes, comment delimiters, line ends, NUL, BOM, bad and good UTF-8
// (letters, digits that are not letters, symbols), line directives with
// numbers at and past their limits, curly quotes, UTF-16 byte order marks.
var pieces = []string{
	"a", "x1", "_", "0", "1", "7", "8", "9", "0x", "0X", "0b", "0o", "0O", ".", "..", "...",
	"e", "E", "p", "P", "+", "-", "i", "f", "F", "\"", "'", "`", "\\", "\\x", "\\u", "\\U",
	"\\0", "\\7", "\\8", "\\n", "\\'", "\\\"", "/", "*", "//", "/*", "*/", "\n", "\r", "\r\n",
	" ", "\t", "\x00", "\xef\xbb\xbf", "\xc3\xa9", "\xff", "\xc3", "\xed\xa0\x80",
	"\xe2\x8a\x9b", "\xd9\xa1", "\xf0\x9d\x9f\x98", "\xef\xbf\xbd", "\xf4\x90\x80\x80",
	"break", "return", "if", "x", "(", ")", "[", "]", "{", "}", ";", ":", "=", "<", ">", "&",
	"^", "|", "!", "~", "%", ",", "@", "#", "$", "?", "\x7f", "\x01", "D800", "DFFF",
	"10FFFF", "110000", "FFFF", "377", "400", "41", "ff", "ab", "abcdefghijklmnopqrstuvw",
	" some comment text   ", "/* long block comment text */", "// line comment text",
	"\n//line ", "/*line ", "x.go", ":", ":0", ":5", ":1073741823", ":1073741824",
	":18446744073709551615", ":18446744073709551616", ":9223372036854775808", ":+5", ":1_0",
	":1073741825", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xff\xfe", "\xfe\xff",
}

// gen writes n random files of up to maxk fragments each into dir.
func gen(dir string, n, maxk int, seed int64) {
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		var b []byte
		for k := r.Intn(maxk + 1); k > 0; k-- {
			b = append(b, pieces[r.Intn(len(pieces))]...)
		}
		name := filepath.Join(dir, fmt.Sprintf("%05d.go", i))
		if err := os.WriteFile(name, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}

// bench scans every file of the list rounds times, as bench/lex_bench.c
// does, and prints the best round's throughput.
func bench(list string, rounds int) {
	paths, err := os.ReadFile(list)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var srcs [][]byte
	bytes := 0
	for _, p := range strings.Split(strings.TrimSpace(string(paths)), "\n") {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		srcs = append(srcs, b)
		bytes += len(b)
	}
	best := time.Duration(0)
	tokens, rejected := 0, 0
	for r := 0; r < rounds; r++ {
		tokens, rejected = 0, 0
		t0 := time.Now()
		for _, src := range srcs {
			fset := token.NewFileSet()
			file := fset.AddFile("", -1, len(src))
			var s scanner.Scanner
			s.Init(file, src, nil, scanner.ScanComments)
			for {
				_, tok, _ := s.Scan()
				if tok != token.COMMENT {
					tokens++
				}
				if tok == token.EOF {
					break
				}
			}
			if s.ErrorCount > 0 {
				rejected++
			}
		}
		if d := time.Since(t0); r == 0 || d < best {
			best = d
		}
	}
	fmt.Printf("go/scanner: files=%d bytes=%d tokens=%d rejected=%d best_of=%d seconds=%.3f MB/s=%.1f\n",
		len(srcs), bytes, tokens, rejected, rounds, best.Seconds(), float64(bytes)/1e6/best.Seconds())
}

func main() {
	if len(os.Args) == 4 && os.Args[1] == "-bench" {
		rounds, _ := strconv.Atoi(os.Args[3])
		bench(os.Args[2], rounds)
		return
	}
	if len(os.Args) == 6 && os.Args[1] == "-gen" {
		n, _ := strconv.Atoi(os.Args[3])
		maxk, _ := strconv.Atoi(os.Args[4])
		seed, _ := strconv.ParseInt(os.Args[5], 10, 64)
		gen(os.Args[2], n, maxk, seed)
		return
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fset := token.NewFileSet()
		file := fset.AddFile(path, -1, len(src))
		var errs scanner.ErrorList
		var s scanner.Scanner
		s.Init(file, src, func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
		fmt.Fprintf(w, "== %s\n", path)
		for {
			pos, tok, lit := s.Scan()
			p := fset.PositionFor(pos, false)
			switch {
			case tok.IsLiteral() || tok == token.SEMICOLON || tok == token.COMMENT:
				fmt.Fprintf(w, "%d:%d %s \"%s\"\n", p.Line, p.Column, tok, esc(lit))
			default:
				fmt.Fprintf(w, "%d:%d %s\n", p.Line, p.Column, tok)
			}
			if tok == token.EOF {
				break
			}
		}
		// Errors come with //line-adjusted positions; leakhound ignores
		// //line, so report the raw ones.
		for _, e := range errs {
			e.Pos = fset.PositionFor(file.Pos(e.Pos.Offset), false)
		}
		errs.Sort()
		for _, e := range errs {
			e.Msg = shortenDirectiveMsg(e.Msg)
			fmt.Fprintf(w, "ERR %d:%d: %s\n", e.Pos.Line, e.Pos.Column, e.Msg)
		}
	}
}

func esc(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			b = append(b, c)
		} else {
			b = append(b, fmt.Sprintf("\\x%02x", c)...)
		}
	}
	return string(b)
}

// shortenDirectiveMsg cuts the number quoted by a bad line directive's
// message where leakhound's lexer does: at a NUL, and after 64 bytes.
func shortenDirectiveMsg(msg string) string {
	for _, p := range []string{"invalid line number: ", "invalid column number: "} {
		if strings.HasPrefix(msg, p) {
			rest := msg[len(p):]
			if i := strings.IndexByte(rest, 0); i >= 0 {
				rest = rest[:i]
			}
			if len(rest) > 64 {
				rest = rest[:64]
			}
			return p + rest
		}
	}
	return msg
}
