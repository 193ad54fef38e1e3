// Command goast is leakhound's parser oracle: it prints go/parser's AST in
// the canonical dump of docs/ast-dump.md, compares two such outputs, and
// times go/parser for bench/parse_bench.sh.
//
//	goast [-check] [-list FILE] [PATH...]     dump each file (== path, then dump or !rejected;
//	                                          -check: "accepted" instead of the dump)
//	goast -compare [-list FILE] [-max N] [-errs-a F] [-errs-b F] A B
//	                                          A = oracle output, B = leakhound output,
//	                                          both in -list order (else sorted by path)
//	goast -bench [-rounds N] [-list FILE] [PATH...]
//	goast -mutate DIR [-n N] [-seed S] [-list FILE] [PATH...]
//	                                          write N broken variants of the files
//
// The dump is produced with reflect over go/ast's structs, so field order is
// go/ast's declaration order by construction and a go/ast change shows up as
// a panic on an unknown field type rather than as a silent difference.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"time"
)

const mode = parser.ParseComments | parser.SkipObjectResolution

func main() {
	list := flag.String("list", "", "read paths from `FILE`, one per line")
	compare := flag.Bool("compare", false, "compare two dump outputs: A (go/parser) B (leakhound)")
	maxShown := flag.Int("max", 30, "with -compare: disagreements shown in detail")
	errsA := flag.String("errs-a", "", "with -compare: stderr of side A, to quote its syntax errors")
	errsB := flag.String("errs-b", "", "with -compare: stderr of side B, to quote its syntax errors")
	bench := flag.Bool("bench", false, "time go/parser over the files, preloaded")
	rounds := flag.Int("rounds", 3, "with -bench: rounds, the best is reported")
	check := flag.Bool("check", false, "parse only: print == path and accepted or !rejected, no dump")
	mutate := flag.String("mutate", "", "write mutants of the files into `DIR`, print their paths")
	count := flag.Int("n", 1000, "with -mutate: how many mutants")
	seed := flag.Int64("seed", 1, "with -mutate: random seed (same seed, same mutants)")
	flag.Parse()

	if *compare {
		if flag.NArg() != 2 {
			fmt.Fprintln(os.Stderr, "goast: -compare needs two files: ORACLE_OUT LEAKHOUND_OUT")
			os.Exit(2)
		}
		os.Exit(compareOutputs(flag.Arg(0), flag.Arg(1), *list, *errsA, *errsB, *maxShown))
	}

	paths := flag.Args()
	if *list != "" {
		data, err := os.ReadFile(*list)
		if err != nil {
			fmt.Fprintln(os.Stderr, "goast:", err)
			os.Exit(2)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if l != "" {
				paths = append(paths, l)
			}
		}
	}
	if *bench {
		os.Exit(benchParse(paths, *rounds))
	}
	if *mutate != "" {
		os.Exit(writeMutants(paths, *mutate, *count, *seed))
	}
	os.Exit(dumpFiles(paths, *check))
}

// dumpFiles prints every file in order; exit status as leakhound parse's:
// 0 all parsed, 1 some rejected, 2 some unreadable.
func dumpFiles(paths []string, checkOnly bool) int {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer w.Flush()
	status := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			w.Flush()
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			status = 2
			continue
		}
		fmt.Fprintf(w, "== %s\n", path)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, mode)
		if err != nil {
			w.WriteString("!rejected\n")
			w.Flush()
			reportErrors(path, err)
			if status == 0 {
				status = 1
			}
			continue
		}
		if checkOnly {
			w.WriteString("accepted\n")
			continue
		}
		d := dumper{w: w, fset: fset, src: src}
		d.node("", reflect.ValueOf(f), 0)
		d.comments(f)
	}
	return status
}

// reportErrors prints go/parser's errors as file:line:col: message, the
// form leakhound uses, so -compare can quote both sides alike.
func reportErrors(path string, err error) {
	if list, ok := err.(scanner.ErrorList); ok {
		for _, e := range list {
			fmt.Fprintf(os.Stderr, "%s:%d:%d: %s\n", path, e.Pos.Line, e.Pos.Column, e.Msg)
		}
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
}

type dumper struct {
	w    *bufio.Writer
	fset *token.FileSet
	src  []byte
}

var (
	posType   = reflect.TypeOf(token.NoPos)
	tokType   = reflect.TypeOf(token.ILLEGAL)
	dirType   = reflect.TypeOf(ast.SEND)
	fileType  = reflect.TypeOf(ast.File{})
	nodeIface = reflect.TypeOf((*ast.Node)(nil)).Elem()
)

var skipAlways = map[string]bool{"Obj": true, "Scope": true, "Doc": true, "Comment": true}
var skipOnFile = map[string]bool{
	"Package": true, "Imports": true, "Unresolved": true, "Comments": true,
}

// The token.Pos fields the dump prints (docs/ast-dump.md): those a node's
// own position and children do not already tell.
var posFields = map[string]bool{
	"BasicLit.ValueEnd": true, "RangeStmt.Range": true,
	"File.FileStart": true, "File.FileEnd": true,
}

// Go before 1.26 has no BasicLit.ValueEnd; the oracle then prints what the
// field would hold, so that older go/parsers with the same verdicts and trees
// can still be compared.
var basicLitHasValueEnd = func() bool {
	_, ok := reflect.TypeOf(ast.BasicLit{}).FieldByName("ValueEnd")
	return ok
}()

func (d *dumper) indent(n int) {
	for i := 0; i < n; i++ {
		d.w.WriteByte(' ')
	}
}

// pos writes " @line:col" (or " @-"), ignoring //line directives.
func (d *dumper) pos(p token.Pos) {
	if !p.IsValid() {
		d.w.WriteString(" @-")
		return
	}
	pp := d.fset.PositionFor(p, false)
	fmt.Fprintf(d.w, " @%d:%d", pp.Line, pp.Column)
}

// node prints v, a non-nil pointer to a go/ast struct, and its fields.
func (d *dumper) node(label string, v reflect.Value, ind int) {
	d.indent(ind)
	if label != "" {
		d.w.WriteString(label)
		d.w.WriteString(": ")
	}
	s := v.Elem()
	d.w.WriteString(s.Type().Name())
	d.pos(v.Interface().(ast.Node).Pos())
	d.w.WriteByte('\n')
	for i := 0; i < s.NumField(); i++ {
		sf := s.Type().Field(i)
		d.field(s.Type().Name(), sf, s.Field(i), s.Type() == fileType, ind+2)
		if lit, ok := v.Interface().(*ast.BasicLit); ok && sf.Name == "ValuePos" && !basicLitHasValueEnd {
			d.posField("ValueEnd", d.valueEnd(lit), ind+2)
		}
	}
}

// posField prints a token.Pos field: "Name: @line:col".
func (d *dumper) posField(name string, p token.Pos, ind int) {
	d.indent(ind)
	d.w.WriteString(name)
	d.w.WriteByte(':')
	d.pos(p)
	d.w.WriteByte('\n')
}

// valueEnd is BasicLit.ValueEnd as go/parser 1.26 sets it: just past the
// literal's source text, which for a raw string may hold carriage returns
// that Value lacks.
func (d *dumper) valueEnd(lit *ast.BasicLit) token.Pos {
	if !lit.ValuePos.IsValid() || lit.Value == "" {
		return lit.ValuePos
	}
	n := len(lit.Value)
	if lit.Value[0] == '`' {
		off := d.fset.File(lit.ValuePos).Offset(lit.ValuePos)
		if i := bytes.IndexByte(d.src[off+1:], '`'); i >= 0 {
			n = i + 2
		}
	}
	return lit.ValuePos + token.Pos(n)
}

func (d *dumper) field(structName string, sf reflect.StructField, v reflect.Value, onFile bool, ind int) {
	t := sf.Type
	if t == posType && posFields[structName+"."+sf.Name] {
		d.posField(sf.Name, token.Pos(v.Int()), ind)
		return
	}
	if skipAlways[sf.Name] || (onFile && skipOnFile[sf.Name]) || t == posType || t.Kind() == reflect.Bool {
		return
	}
	switch {
	case t == tokType:
		d.indent(ind)
		fmt.Fprintf(d.w, "%s: %s\n", sf.Name, token.Token(v.Int()).String())
	case t == dirType:
		d.indent(ind)
		fmt.Fprintf(d.w, "%s: %d\n", sf.Name, v.Int())
	case t.Kind() == reflect.String:
		d.indent(ind)
		d.w.WriteString(sf.Name)
		d.w.WriteString(": ")
		d.quote(v.String())
		d.w.WriteByte('\n')
	case t.Kind() == reflect.Ptr || t.Kind() == reflect.Interface:
		d.child(sf.Name, v, ind)
	case t.Kind() == reflect.Slice:
		d.indent(ind)
		fmt.Fprintf(d.w, "%s: [%d]\n", sf.Name, v.Len())
		for i := 0; i < v.Len(); i++ {
			d.child(fmt.Sprintf("[%d]", i), v.Index(i), ind+2)
		}
	default:
		panic(fmt.Sprintf("goast: field %s of type %s is not in the dump contract", sf.Name, t))
	}
}

// child prints a pointer or interface field or slice element: nil, or a node.
func (d *dumper) child(label string, v reflect.Value, ind int) {
	if v.IsNil() {
		d.indent(ind)
		d.w.WriteString(label)
		d.w.WriteString(": nil\n")
		return
	}
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if v.Kind() != reflect.Ptr || !v.Type().Implements(nodeIface) {
		panic(fmt.Sprintf("goast: %s of type %s is not a node", label, v.Type()))
	}
	d.node(label, v, ind)
}

func (d *dumper) quote(s string) {
	const hex = "0123456789abcdef"
	d.w.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			d.w.WriteByte('\\')
			d.w.WriteByte(c)
		case c >= 0x20 && c <= 0x7e:
			d.w.WriteByte(c)
		default:
			d.w.WriteString(`\x`)
			d.w.WriteByte(hex[c>>4])
			d.w.WriteByte(hex[c&15])
		}
	}
	d.w.WriteByte('"')
}

func (d *dumper) comments(f *ast.File) {
	var all []*ast.Comment
	for _, g := range f.Comments {
		all = append(all, g.List...)
	}
	fmt.Fprintf(d.w, "Comments: [%d]\n", len(all))
	for i, c := range all {
		fmt.Fprintf(d.w, "  [%d]", i)
		d.pos(c.Slash)
		d.w.WriteByte(' ')
		d.quote(c.Text)
		d.w.WriteByte('\n')
	}
}

// ---- compare ---------------------------------------------------------------

// The outputs are large (about 1 GB for GOROOT/src: indentation grows with
// nesting, and long "a" + "b" + ... chains nest deeply), so they are compared
// as two streams, line by line, without holding either in memory.

type stream struct {
	sc      *bufio.Scanner
	line    []byte // current line, valid until the next advance
	eof     bool
	atHead  bool // line is a "== path" header
	lineNum int
}

func openStream(name string) (*stream, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	s := &stream{sc: sc}
	s.advance()
	return s, nil
}

func (s *stream) advance() {
	if !s.sc.Scan() {
		if err := s.sc.Err(); err != nil {
			fmt.Fprintln(os.Stderr, "goast: reading:", err)
		}
		s.eof, s.atHead, s.line = true, false, nil
		return
	}
	s.line = s.sc.Bytes()
	s.atHead = bytes.HasPrefix(s.line, []byte("== "))
	s.lineNum++
}

// path of the header the stream stands on.
func (s *stream) path() string { return string(s.line[3:]) }

// skipBody moves past the current file's dump to the next header or EOF.
func (s *stream) skipBody() {
	for s.advance(); !s.eof && !s.atHead; s.advance() {
	}
}

// show prints a dump line with its indentation counted rather than shown.
func show(line []byte, present bool) string {
	if !present {
		return "(end of this file's dump)"
	}
	t := bytes.TrimLeft(line, " ")
	if n := len(line) - len(t); n > 0 {
		return fmt.Sprintf("[indent %d] %s", n, t)
	}
	return string(t)
}

type fileResult struct {
	rejA, rejB bool
	diffAt     int // dump line of the first difference, 0 if none
	near       string
	textA      string
	textB      string
}

// compareBodies walks both dumps of one file in lockstep.
func compareBodies(a, b *stream) fileResult {
	var r fileResult
	near := []byte("-")
	a.advance()
	b.advance()
	for i := 1; ; i++ {
		endA, endB := a.eof || a.atHead, b.eof || b.atHead
		if endA && endB {
			return r
		}
		if i == 1 {
			r.rejA = !endA && string(a.line) == "!rejected"
			r.rejB = !endB && string(b.line) == "!rejected"
		}
		if r.diffAt == 0 {
			if endA || endB || !bytes.Equal(a.line, b.line) {
				r.diffAt, r.near = i, string(near)
				r.textA, r.textB = show(a.line, !endA), show(b.line, !endB)
			} else if at := bytes.LastIndexByte(a.line, '@'); at >= 0 {
				near = append(near[:0], a.line[at+1:]...)
			}
		}
		if !endA {
			a.advance()
		}
		if !endB {
			b.advance()
		}
	}
}

func compareOutputs(nameA, nameB, listName, errsA, errsB string, maxShown int) int {
	order := map[string]int{}
	if listName != "" {
		data, err := os.ReadFile(listName)
		if err != nil {
			fmt.Fprintln(os.Stderr, "goast:", err)
			return 2
		}
		for _, l := range strings.Split(string(data), "\n") {
			if _, dup := order[l]; l != "" && !dup {
				order[l] = len(order)
			}
		}
	}
	// before reports whether path p comes before q in the run's order: the
	// list's if given, else byte order (the test sorts with LC_ALL=C).
	before := func(p, q string) bool {
		if listName == "" {
			return p < q
		}
		ip, okp := order[p]
		iq, okq := order[q]
		if !okp || !okq {
			return okq // a path not in the list is dropped first
		}
		return ip < iq
	}

	a, err := openStream(nameA)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goast:", err)
		return 2
	}
	b, err := openStream(nameB)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goast:", err)
		return 2
	}
	// Details are kept and printed at the end: the error files may be
	// written by the same processes that feed the two streams.
	type detail struct {
		text      string
		quotePath string // a verdict mismatch quotes both sides' first error
	}
	var details []detail
	shown := 0
	report := func(format string, args ...interface{}) {
		if shown < maxShown {
			details = append(details, detail{text: fmt.Sprintf(format, args...)})
		}
	}
	var compared, agree, onlyGoRejects, onlyLHRejects, dumpDiffs, missing, extra int
	// Text before the first header is leakhound printing where it should not.
	for _, s := range []*stream{a, b} {
		if !s.eof && !s.atHead {
			side := "go/parser"
			if s == b {
				side = "leakhound"
			}
			report("%s output starts with a non-header line: %s\n", side, show(s.line, true))
			shown++
			extra++
			for !s.eof && !s.atHead {
				s.advance()
			}
		}
	}
	for !a.eof || !b.eof {
		switch {
		case b.eof || (!a.eof && a.path() != b.path() && before(a.path(), b.path())):
			missing++
			report("%s: missing from leakhound's output\n", a.path())
			shown++
			a.skipBody()
			continue
		case a.eof || a.path() != b.path():
			extra++
			report("%s: in leakhound's output only\n", b.path())
			shown++
			b.skipBody()
			continue
		}
		path := a.path()
		compared++
		r := compareBodies(a, b)
		switch {
		case r.rejA != r.rejB:
			if r.rejA {
				onlyGoRejects++
				report("%s: verdict mismatch: go/parser rejects, leakhound accepts\n", path)
			} else {
				onlyLHRejects++
				report("%s: verdict mismatch: go/parser accepts, leakhound rejects\n", path)
			}
			if shown < maxShown {
				details[len(details)-1].quotePath = path
			}
			shown++
		case r.diffAt == 0 || r.rejA:
			agree++
		default:
			dumpDiffs++
			report("%s: dump mismatch at dump line %d (after source position %s)\n", path, r.diffAt, r.near)
			report("    go/parser: %s\n", r.textA)
			report("    leakhound: %s\n", r.textB)
			shown++
		}
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	ea, eb := firstErrors(errsA), firstErrors(errsB)
	for _, d := range details {
		w.WriteString(d.text)
		if d.quotePath == "" {
			continue
		}
		if e := ea[d.quotePath]; e != "" {
			fmt.Fprintf(w, "    go/parser: %s\n", e)
		}
		if e := eb[d.quotePath]; e != "" {
			fmt.Fprintf(w, "    leakhound: %s\n", e)
		}
	}
	if shown > maxShown {
		fmt.Fprintf(w, "... %d more disagreements not shown\n", shown-maxShown)
	}
	bad := onlyGoRejects + onlyLHRejects + dumpDiffs + missing + extra
	fmt.Fprintf(w, "compared %d files: %d agree", compared, agree)
	if bad > 0 {
		fmt.Fprintf(w, ", %d disagree (verdict: %d rejected only by go/parser, %d only by leakhound; dumps differ: %d; missing from leakhound: %d; extra in leakhound: %d)",
			bad, onlyGoRejects, onlyLHRejects, dumpDiffs, missing, extra)
	}
	fmt.Fprintln(w)
	if bad > 0 || compared == 0 {
		return 1
	}
	return 0
}

// printable escapes control bytes, so that a quoted message cannot move the
// cursor (go/scanner quotes a line directive's text, \r and all).
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

var errLine = regexp.MustCompile(`^(.*?):(\d+):(\d+): (.*)$`)

// firstErrors maps each path to the first file:line:col: line about it.
func firstErrors(name string) map[string]string {
	m := map[string]string{}
	if name == "" {
		return m
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return m
	}
	for _, l := range strings.Split(string(data), "\n") {
		if sm := errLine.FindStringSubmatch(l); sm != nil {
			if _, seen := m[sm[1]]; !seen {
				m[sm[1]] = printable(l)
			}
		}
	}
	return m
}

// ---- bench -----------------------------------------------------------------

func benchParse(paths []string, rounds int) int {
	srcs := make([][]byte, len(paths))
	var total int64
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "goast:", err)
			return 2
		}
		srcs[i] = b
		total += int64(len(b))
	}
	best := time.Duration(0)
	rejected := 0
	for r := 0; r < rounds; r++ {
		rejected = 0
		runtime.GC()
		start := time.Now()
		for i, src := range srcs {
			// A fresh FileSet per file, as leakhound resets its arena per file.
			fset := token.NewFileSet()
			if _, err := parser.ParseFile(fset, paths[i], src, mode); err != nil {
				rejected++
			}
		}
		el := time.Since(start)
		if best == 0 || el < best {
			best = el
		}
	}
	mb := float64(total) / 1e6
	fmt.Printf("go/parser: files=%d bytes=%d rejected=%d best_of=%d seconds=%.3f MB/s=%.1f GOMAXPROCS=%d\n",
		len(srcs), total, rejected, rounds, best.Seconds(), mb/best.Seconds(), runtime.GOMAXPROCS(0))
	return 0
}

// ---- mutate ----------------------------------------------------------------

// writeMutants writes n small edits of randomly chosen files -- the kind of
// damage a half-typed file has -- so that both parsers' error paths meet
// input they were not written for. Same seed and inputs, same mutants.
func writeMutants(paths []string, dir string, n int, seed int64) int {
	if len(paths) == 0 {
		fmt.Fprintln(os.Stderr, "goast: -mutate needs files")
		return 2
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "goast:", err)
		return 2
	}
	rng := rand.New(rand.NewSource(seed))
	const punct = "{}()[];,.:=+-*/&|^<>!~\"'`_0x\n\t .e"
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for i := 0; i < n; i++ {
		src, err := os.ReadFile(paths[rng.Intn(len(paths))])
		if err != nil {
			fmt.Fprintln(os.Stderr, "goast:", err)
			return 2
		}
		var out []byte
		at := 0
		if len(src) > 0 {
			at = rng.Intn(len(src))
		}
		switch kind := rng.Intn(10); {
		case kind >= 6: // a token deleted, doubled, swapped with the next, or replaced
			out = mutateToken(src, rng, kind)
		case kind == 0: // truncated
			out = src[:at]
		case kind == 1: // a byte deleted
			out = append(append(out, src[:at]...), src[min(at+1, len(src)):]...)
		case kind == 2: // a byte inserted
			out = append(append(append(out, src[:at]...), punct[rng.Intn(len(punct))]), src[at:]...)
		case kind == 3: // a byte replaced, sometimes by a non-ASCII one
			out = append(out, src...)
			if len(out) > 0 {
				out[at] = byte(rng.Intn(256))
			}
		default: // a line deleted or duplicated
			lines := bytes.SplitAfter(src, []byte("\n"))
			k := rng.Intn(len(lines))
			for j, l := range lines {
				if j != k || kind == 5 {
					out = append(out, l...)
				}
				if j == k && kind == 5 {
					out = append(out, l...)
				}
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("m%05d.go", i))
		if err := os.WriteFile(name, out, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "goast:", err)
			return 2
		}
		fmt.Fprintln(w, name)
	}
	return 0
}

// mutateToken edits src at token granularity, which reaches a parser's error
// recovery (and its rarely used valid paths) more often than byte edits do.
func mutateToken(src []byte, rng *rand.Rand, kind int) []byte {
	type span struct{ off, end int }
	var toks []span
	var sc scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	sc.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // automatic: not in the source
		}
		off := file.Offset(pos)
		n := len(lit)
		if lit == "" {
			n = len(tok.String())
		}
		if off+n <= len(src) {
			toks = append(toks, span{off, off + n})
		}
	}
	if len(toks) < 2 {
		return append([]byte(nil), src...)
	}
	i := rng.Intn(len(toks) - 1)
	a, b := toks[i], toks[i+1]
	var out []byte
	switch kind {
	case 6: // delete
		out = append(append(out, src[:a.off]...), src[a.end:]...)
	case 7: // double
		out = append(append(append(out, src[:a.end]...), ' '), src[a.off:]...)
	case 8: // swap with the next token
		out = append(out, src[:a.off]...)
		out = append(out, src[b.off:b.end]...)
		out = append(out, src[a.end:b.off]...)
		out = append(out, src[a.off:a.end]...)
		out = append(out, src[b.end:]...)
	default: // replace by another token of the file
		c := toks[rng.Intn(len(toks))]
		out = append(append(append(out, src[:a.off]...), src[c.off:c.end]...), src[a.end:]...)
	}
	return out
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
