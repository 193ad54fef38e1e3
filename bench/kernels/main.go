// Command kernels scores `leakhound scan` against the Go runtime's goroutine
// leak kernels (src/runtime/testdata/testgoroutineleakprofile): which of the
// registered tests goroutineleakprofile_test.go expects to leak, which go
// statements belong to which test, and which tests the goroutine rules flag.
// bench/goroutine_kernels.sh runs it; it measures and asserts nothing.
//
//	go run . -testfile GOROOT/src/runtime/goroutineleakprofile_test.go \
//	    -root COPY_OF_KERNEL_DIR -findings scan.json [-label go1.26.8] [-v]
//
// scan.json is `leakhound scan --format json ./...` run in -root.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var goroutineRules = map[string]bool{
	"goroutine-blocked-send": true,
	"goroutine-no-exit":      true,
	"unbounded-goroutines":   true,
}

// expectation is one makeTest/makeFlakyTest entry of the runtime's test.
type expectation struct {
	name   string
	flaky  bool
	leaks  []string // the leak regexps as written
	bases  []string // the declared function each leaked goroutine starts in
	waits  []string // the wait reasons, short: send, recv, select, Mutex.Lock, ...
	listed bool
}

// parseExpectations reads goroutineleakprofile_test.go: every call
// makeTest("Name", re...) / makeFlakyTest("Name", re...) with a literal name.
// Commented-out entries (Kubernetes1321) are comments, so not seen.
func parseExpectations(path string) (map[string]*expectation, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	out := map[string]*expectation{}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || (id.Name != "makeTest" && id.Name != "makeFlakyTest") || len(call.Args) == 0 {
			return true
		}
		name, ok := strLit(call.Args[0])
		if !ok {
			return true
		}
		e := &expectation{name: name, flaky: id.Name == "makeFlakyTest", listed: true}
		for _, a := range call.Args[1:] {
			if s, ok := strLit(a); ok {
				e.leaks = append(e.leaks, s)
				e.bases = append(e.bases, leakBase(s))
				e.waits = append(e.waits, waitReason(s))
			}
		}
		out[name] = e
		return true
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no makeTest/makeFlakyTest entries", path)
	}
	return out, nil
}

func strLit(e ast.Expr) (string, bool) {
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}

var (
	reFuncPart   = regexp.MustCompile(`^(.*?)(\\\(|\(\.| \[|\.\*)`)
	reClosureSfx = regexp.MustCompile(`(\.(func|gowrap)?[0-9]+)+$`)
)

// leakBase turns `\(\*T\)\.M\.func1\(.* \[chan send\]` into `(*T).M`: the
// declared function whose go statement (or closure) the goroutine starts in,
// or the function it runs.
func leakBase(re string) string {
	s := re
	if m := reFuncPart.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = strings.ReplaceAll(s, `\`, "")
	s = reClosureSfx.ReplaceAllString(s, "")
	return s
}

var reWait = regexp.MustCompile(` \\\[(.*)\\\]`)

// waitReason: `... \[chan receive \(nil chan\)\]` -> "recv(nil)",
// `\[sync\.(RW)?Mutex\.Lock\]` -> "(RW)?Mutex.Lock".
func waitReason(re string) string {
	m := reWait.FindStringSubmatch(re)
	if m == nil {
		return "?"
	}
	w := strings.ReplaceAll(m[1], `\.`, ".")
	w = strings.ReplaceAll(w, `\(`, "(")
	w = strings.ReplaceAll(w, `\)`, ")")
	w = strings.TrimPrefix(w, "sync.")
	w = strings.Replace(w, "chan receive", "recv", 1)
	w = strings.Replace(w, "chan send", "send", 1)
	w = strings.Replace(w, " (nil chan)", "(nil)", 1)
	w = strings.Replace(w, " (no cases)", "(none)", 1)
	return w
}

// onChannel: some expected leak waits on a channel operation or a select.
func (e *expectation) onChannel() bool {
	for _, w := range e.waits {
		if strings.HasPrefix(w, "send") || strings.HasPrefix(w, "recv") || strings.HasPrefix(w, "select") {
			return true
		}
	}
	return false
}

// goStmt is one go statement of the kernels.
type goStmt struct {
	file   string // relative to root
	line   int
	col    int
	decl   string // declared function around it, as the runtime names it
	callee string // for go f(...) / go x.m(...): f or m; "" for a literal
}

type funcInfo struct {
	name  string // runtime name: F, T.M, (*T).M
	short string // F or M
	file  string
	refs  map[string]bool // names of functions/methods it mentions
	start int             // lines
	end   int
}

type pkg struct {
	dir      string
	funcs    []*funcInfo
	byShort  map[string][]*funcInfo
	tests    map[string]string   // test name -> function short name
	testFile map[string]string   // test name -> file registering it
	fileTest map[string][]string // file -> tests it registers
	gos      []*goStmt
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	tn := "?"
	if id, ok := t.(*ast.Ident); ok {
		tn = id.Name
	}
	if star {
		return "(*" + tn + ")." + fd.Name.Name
	}
	return tn + "." + fd.Name.Name
}

func loadPkg(root, rel string) (*pkg, error) {
	dir := filepath.Join(root, rel)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkg{dir: rel, byShort: map[string][]*funcInfo{}, tests: map[string]string{},
		testFile: map[string]string{}, fileTest: map[string][]string{}}
	fset := token.NewFileSet()
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		relf := filepath.ToSlash(filepath.Join(rel, e.Name()))
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fi := &funcInfo{name: recvName(fd), short: fd.Name.Name, file: relf, refs: map[string]bool{},
				start: fset.Position(fd.Pos()).Line, end: fset.Position(fd.End()).Line}
			p.funcs = append(p.funcs, fi)
			p.byShort[fi.short] = append(p.byShort[fi.short], fi)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Ident:
					fi.refs[x.Name] = true
				case *ast.SelectorExpr:
					fi.refs[x.Sel.Name] = true
				case *ast.CallExpr:
					// register("Name", Fn) / registerInit("Name", Fn)
					if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "register" || id.Name == "registerInit") && len(x.Args) == 2 {
						if name, ok := strLit(x.Args[0]); ok {
							if fn, ok := x.Args[1].(*ast.Ident); ok {
								p.tests[name] = fn.Name
								p.testFile[name] = relf
								p.fileTest[relf] = append(p.fileTest[relf], name)
							}
						}
					}
				case *ast.GoStmt:
					pos := fset.Position(x.Pos())
					g := &goStmt{file: relf, line: pos.Line, col: pos.Column, decl: fi.name}
					switch fn := x.Call.Fun.(type) {
					case *ast.Ident:
						g.callee = fn.Name
					case *ast.SelectorExpr:
						g.callee = fn.Sel.Name
					}
					p.gos = append(p.gos, g)
				}
				return true
			})
		}
	}
	return p, nil
}

// reach: the functions a test's function can reach by name (a function or a
// method with a name the body mentions; same-file candidates first, since the
// goker kernels suffix their types but not their method names).
func (p *pkg) reach(test string) map[*funcInfo]bool {
	seen := map[*funcInfo]bool{}
	var work []*funcInfo
	for _, f := range p.byShort[p.tests[test]] {
		if f.name == p.tests[test] { // a function, not a method of that name
			seen[f] = true
			work = append(work, f)
		}
	}
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		for r := range f.refs {
			cands := p.byShort[r]
			var same []*funcInfo
			for _, c := range cands {
				if c.file == f.file {
					same = append(same, c)
				}
			}
			if len(same) > 0 {
				cands = same
			}
			for _, c := range cands {
				if c.name == "main" || c.name == "register" || c.name == "registerInit" || c.name == "init" {
					continue
				}
				if !seen[c] {
					seen[c] = true
					work = append(work, c)
				}
			}
		}
	}
	return seen
}

type finding struct {
	Rule     string `json:"rule"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Message  string `json:"message"`
	Function string `json:"function"`
}

type testRow struct {
	name     string
	dir      string
	exp      *expectation
	findings []string
	gorule   bool
	gos      int
	sites    []string
}

func main() {
	testfile := flag.String("testfile", "", "goroutineleakprofile_test.go")
	root := flag.String("root", "", "copy of testdata/testgoroutineleakprofile")
	findingsPath := flag.String("findings", "", "leakhound scan --format json output, run in -root")
	label := flag.String("label", "", "heading")
	verbose := flag.Bool("v", false, "print every test's expected leak patterns and finding messages")
	flag.Parse()
	if *testfile == "" || *root == "" || *findingsPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	exps, err := parseExpectations(*testfile)
	check(err)

	var pkgs []*pkg
	check(filepath.WalkDir(*root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		matches, _ := filepath.Glob(filepath.Join(path, "*.go"))
		if len(matches) == 0 {
			return nil
		}
		rel, _ := filepath.Rel(*root, path)
		p, err := loadPkg(*root, rel)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, p)
		return nil
	}))

	raw, err := os.ReadFile(*findingsPath)
	check(err)
	var scan struct {
		Findings []finding `json:"findings"`
		Errors   []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"errors"`
		Stats struct {
			Packages int     `json:"packages"`
			Files    int     `json:"files"`
			Seconds  float64 `json:"seconds"`
		} `json:"stats"`
	}
	check(json.Unmarshal(raw, &scan))

	// Every go statement: the tests it belongs to.
	type key struct {
		file string
		line int
	}
	goAt := map[key]*goStmt{}
	owners := map[*goStmt][]string{}
	lineOwners := map[string]func(line int) []string{} // file -> owners of a line
	rows := map[string]*testRow{}
	for _, p := range pkgs {
		p := p // captured by ownersOf below (go.mod says go 1.21)
		reached := map[string]map[*funcInfo]bool{}
		for t := range p.tests {
			reached[t] = p.reach(t)
			e := exps[t]
			if e == nil {
				e = &expectation{name: t}
			}
			rows[t] = &testRow{name: t, dir: p.dir, exp: e}
		}
		declOf := func(file string, line int) *funcInfo {
			for _, f := range p.funcs {
				if f.file == file && f.start <= line && line <= f.end {
					return f
				}
			}
			return nil
		}
		ownersOf := func(file string, line int) []string {
			var ts []string
			if fi := declOf(file, line); fi != nil {
				for t, r := range reached {
					if r[fi] {
						ts = append(ts, t)
					}
				}
			}
			if len(ts) == 0 { // unreached: the test registered in the same file
				ts = append(ts, p.fileTest[file]...)
			}
			sort.Strings(ts)
			return ts
		}
		for _, f := range p.funcs {
			file := f.file
			lineOwners[file] = func(line int) []string { return ownersOf(file, line) }
		}
		for _, g := range p.gos {
			goAt[key{g.file, g.line}] = g
			owners[g] = ownersOf(g.file, g.line)
			for _, t := range owners[g] {
				rows[t].gos++
			}
		}
	}
	for name, e := range exps {
		if rows[name] == nil {
			rows[name] = &testRow{name: name, dir: "?", exp: e}
			fmt.Fprintf(os.Stderr, "kernels: %s is listed in the test but registered nowhere\n", name)
		}
	}

	// Findings to tests.
	ruleCount := map[string]int{}
	var unowned []string
	siteOK, siteOther := 0, 0
	var otherSites []string
	for _, f := range scan.Findings {
		ruleCount[f.Rule]++
		g := goAt[key{f.File, f.Line}]
		var ts []string
		if lo := lineOwners[f.File]; lo != nil {
			ts = lo(f.Line)
		}
		desc := fmt.Sprintf("%s@%s:%d", f.Rule, filepath.Base(f.File), f.Line)
		if len(ts) == 0 {
			unowned = append(unowned, desc+" ("+f.Function+")")
			continue
		}
		for _, t := range ts {
			r := rows[t]
			d := desc
			if goroutineRules[f.Rule] {
				r.gorule = true
				if r.exp.listed && len(r.exp.leaks) > 0 {
					if g != nil && siteMatches(g, r.exp.bases) {
						siteOK++
					} else {
						siteOther++
						d += "(!)"
						otherSites = append(otherSites, fmt.Sprintf("%s: %s:%d:%d %s: %s", t, f.File, f.Line, f.Col, f.Rule, f.Message))
					}
				}
			}
			r.findings = append(r.findings, d)
			if *verbose {
				r.sites = append(r.sites, f.Message)
			}
		}
	}

	// Numbers.
	var names []string
	for n := range rows {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := rows[names[i]], rows[names[j]]
		if a.dir != b.dir {
			return a.dir < b.dir
		}
		return strings.ToLower(a.name) < strings.ToLower(b.name)
	})
	leaky, leakyHit, clean, cleanHit, unlisted := 0, 0, 0, 0, 0
	flakyN, flakyHit := 0, 0
	chanN, chanHit := 0, 0
	for _, n := range names {
		r := rows[n]
		switch {
		case !r.exp.listed:
			unlisted++
		case len(r.exp.leaks) > 0:
			leaky++
			if r.gorule {
				leakyHit++
			}
			if r.exp.onChannel() {
				chanN++
				if r.gorule {
					chanHit++
				}
			}
			if r.exp.flaky {
				flakyN++
				if r.gorule {
					flakyHit++
				}
			}
		default:
			clean++
			if r.gorule {
				cleanHit++
			}
		}
	}
	if *label != "" {
		fmt.Printf("== %s\n", *label)
	}
	fmt.Printf("scanned: %d packages, %d files, %.2f s (leakhound's own stats); %d errors\n",
		scan.Stats.Packages, scan.Stats.Files, scan.Stats.Seconds, len(scan.Errors))
	for _, e := range scan.Errors {
		fmt.Printf("  error: %s:%d: %s\n", e.File, e.Line, e.Message)
	}
	fmt.Printf("leaky tests (listed with leak patterns):  %3d   reported by a goroutine rule: %3d  recall %s   (flaky ones: %d, reported %d)\n",
		leaky, leakyHit, pct(leakyHit, leaky), flakyN, flakyHit)
	fmt.Printf("  of them with a leak waiting on a channel or select: %3d   reported: %3d  recall %s   (the rest block in sync only: %d, reported %d)\n",
		chanN, chanHit, pct(chanHit, chanN), leaky-chanN, leakyHit-chanHit)
	fmt.Printf("clean tests (listed, no leak pattern):    %3d   with a goroutine finding:     %3d  false %s\n",
		clean, cleanHit, pct(cleanHit, clean))
	fmt.Printf("registered but not listed (not counted):  %3d\n", unlisted)
	var rules []string
	for r := range ruleCount {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	fmt.Printf("findings by rule:")
	if len(rules) == 0 {
		fmt.Printf(" none")
	}
	for _, r := range rules {
		fmt.Printf(" %s %d", r, ruleCount[r])
	}
	fmt.Println()
	fmt.Printf("goroutine findings in leaky tests at a go statement starting an expected leaked goroutine: %d; elsewhere (marked (!)): %d\n", siteOK, siteOther)
	for _, s := range otherSites {
		fmt.Printf("  (!) %s\n", s)
	}
	for _, u := range unowned {
		fmt.Printf("  finding outside every test: %s\n", u)
	}
	fmt.Println()
	fmt.Printf("%-24s %-5s %-11s %-26s %3s  %s\n", "TEST", "DIR", "EXPECTED", "WAITS (expected leaks)", "GOs", "FINDINGS (rule@file:line; (!) = not at an expected leak's go statement)")
	for _, n := range names {
		r := rows[n]
		exp := "clean"
		switch {
		case !r.exp.listed:
			exp = "unlisted"
		case len(r.exp.leaks) > 0 && r.exp.flaky:
			exp = fmt.Sprintf("leak(flaky)")
		case len(r.exp.leaks) > 0:
			exp = "leak"
		}
		fs := "-"
		if len(r.findings) > 0 {
			fs = strings.Join(r.findings, " ")
		}
		waits := "-"
		if len(r.exp.waits) > 0 {
			seen := map[string]bool{}
			var ws []string
			for _, w := range r.exp.waits {
				if !seen[w] {
					seen[w] = true
					ws = append(ws, w)
				}
			}
			waits = strings.Join(ws, ",")
		}
		fmt.Printf("%-24s %-5s %-11s %-26s %3d  %s\n", r.name, r.dir, exp, waits, r.gos, fs)
		if *verbose {
			for _, l := range r.exp.leaks {
				fmt.Printf("%48s expects %s\n", "", l)
			}
			for _, m := range r.sites {
				fmt.Printf("%48s says %s\n", "", m)
			}
		}
	}
}

// siteMatches: the go statement starts one of the expected leaked
// goroutines -- a literal in the declared function the leak names, or a call
// of the function or method it names. Closure numbers are not checked.
func siteMatches(g *goStmt, bases []string) bool {
	for _, b := range bases {
		if strings.EqualFold(b, g.decl) {
			return true
		}
		if g.callee != "" {
			last := b
			if i := strings.LastIndex(b, "."); i >= 0 {
				last = b[i+1:]
			}
			if last == g.callee {
				return true
			}
		}
	}
	return false
}

func pct(a, b int) string {
	if b == 0 {
		return "  -  "
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(a)/float64(b))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "kernels:", err)
		os.Exit(2)
	}
}
