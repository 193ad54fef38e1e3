#!/usr/bin/env bash
# Black-box contract of `leakhound scan`, `rules` and `explain`: exit codes,
# vet-style, JSON and SARIF output (errors and stats in JSON, notifications
# and UTF-16 columns in SARIF), paths relative to the current directory,
# syntax and package errors, generated files, rule selection, suppressions,
# the bundled examples, and that the scanned tree is never written to.
# (Each rule's precision is held to its fixtures by tests/unit/test_rules.c.)
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_scan_cli: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/scan-cli
rm -rf "$T"
mkdir -p "$T/m"
cd "$T/m"
w() { mkdir -p "$(dirname "$1")"; printf '%b' "$2" >"$1"; }
w go.mod 'module example.com/m\n'
w a.go 'package m\n\nimport "os"\n\nfunc f(ps []string) {\n\tfor _, p := range ps {\n\t\tx, _ := os.Open(p)\n\t\tdefer x.Close()\n\t}\n}\n'
w clean/c.go 'package clean\n\nfunc g() {\n\tdefer println()\n}\n'
w quiet/q.go 'package quiet\n\nfunc h(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tdefer println(i) //nolint:defer-in-loop // at most three\n\t}\n}\n'
w bad/b.go 'package bad\n\nfunc f() {\n\tif {\n}\n'
w bad/ok.go 'package bad\n\nfunc k() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n'
w a_test.go 'package m\n\nfunc tf() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n'

run() {
    local want=$1 rc=0
    shift
    (unset GOOS GOARCH CGO_ENABLED; "$LH" "$@") >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want; stderr: $(head -3 "$T/err")"
}

run 0 scan --help
grep -q 'usage: leakhound scan' "$T/out" || fail "--help prints no usage"
run 2 scan --no-such-option
run 2 scan --format yaml
# The build flags scan shares with list (src/cli/goargs.c).
run 2 scan --go-release=x
grep -q 'not a Go release' "$T/err" || fail "--go-release=x: $(cat "$T/err")"
run 2 scan -j 0
run 2 scan --goos plan10
grep -q 'unsupported GOOS/GOARCH pair plan10/amd64' "$T/err" || fail "--goos plan10: $(cat "$T/err")"
run 2 scan -tags
run 2 scan --enable no-such-rule
run 2 scan --disable no-such-rule
run 2 scan ./missing
run 2 scan --goos plan10

# a clean package: nothing, exit 0
run 0 scan ./clean
[ ! -s "$T/out" ] || fail "output for a clean package: $(cat "$T/out")"
run 0 scan ./quiet
[ ! -s "$T/out" ] || fail "//nolint:defer-in-loop did not suppress: $(cat "$T/out")"

# the default pattern is ./...: findings in every package, test files too,
# vet-style, sorted, paths relative to the current directory; a file that
# does not parse is an error (exit 2), and the rest is still analysed
run 2 scan
cat >"$T/want" <<'OUT'
a.go:8:3: defer-in-loop: defer inside a loop runs only when f returns, not at the end of each iteration (loop at line 6)
a_test.go:5:3: defer-in-loop: defer inside a loop runs only when tf returns, not at the end of each iteration (loop at line 4)
bad/ok.go:5:3: defer-in-loop: defer inside a loop runs only when k returns, not at the end of each iteration (loop at line 4)
OUT
diff -u "$T/want" "$T/out" || fail "scan ./... text output"
# the broken file is reported as go vet and gofmt print syntax errors, and
# the package's other file is still analysed (bad/ok.go above)
grep -q '^bad/b.go:4:5: ' "$T/err" || fail "syntax error not reported: $(cat "$T/err")"
run 2 scan -test=false
grep -q a_test.go "$T/out" && fail "-test=false still scans a_test.go"

# a syntax error alone: an error (exit 2), with no finding
run 2 scan ./bad --disable defer-in-loop
[ ! -s "$T/out" ] || fail "--disable left findings: $(cat "$T/out")"
run 1 scan --enable defer-in-loop .
[ "$(wc -l <"$T/out")" = 2 ] || fail "scan . --enable: $(cat "$T/out")"

# paths from another directory: relative to where leakhound runs
rc=0
(cd "$T" && "$LH" scan ./m/bad) >"$T/out" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "scan ./m/bad (a syntax error): exit $rc, want 2"
grep -q '^m/bad/ok.go:5:3: defer-in-loop: ' "$T/out" || fail "relative path: $(cat "$T/out")"
# an absolute pattern below the current directory prints relative paths
run 2 scan "$T/m/clean" "$T/m/bad"
grep -q '^bad/ok.go:5:3: ' "$T/out" || fail "absolute pattern below cwd: $(cat "$T/out")"

# JSON: one object {"findings", "errors", "stats"}, checked field by field
run 1 scan --format json .
python3 - "$T/out" "$T/m" <<'PY' || fail "json output: $(cat "$T/out")"
import json, os, sys
v = json.load(open(sys.argv[1]))
assert isinstance(v, dict) and sorted(v) == ["errors", "findings", "stats"], v
fs = v["findings"]
assert isinstance(fs, list) and len(fs) == 2, fs
keys = ["col", "end_col", "end_line", "file", "fingerprint", "function", "line", "message", "rule", "severity"]
for f in fs:
    assert sorted(f) == keys, f
    for k in ("line", "col", "end_line", "end_col"):
        assert type(f[k]) is int, (k, f)
    for k in ("rule", "file", "severity", "message", "function"):
        assert type(f[k]) is str, (k, f)
f = fs[0]
assert f["rule"] == "defer-in-loop" and f["file"] == "a.go", f
assert (f["line"], f["col"], f["end_line"], f["end_col"]) == (8, 3, 8, 18), f
assert f["severity"] == "warning" and "loop at line 6" in f["message"], f
assert f["function"] == "f", f
assert (fs[1]["file"], fs[1]["line"], fs[1]["function"]) == ("a_test.go", 5, "tf"), fs[1]
assert v["errors"] == [], v["errors"]
st = v["stats"]
assert sorted(st) == ["bytes", "files", "packages", "seconds"], st
size = sum(os.path.getsize(os.path.join(sys.argv[2], n)) for n in ("a.go", "a_test.go"))
assert (st["packages"], st["files"], st["bytes"]) == (1, 2, size), (st, size)
assert type(st["seconds"]) is float and 0 <= st["seconds"] < 60, st
PY
run 0 scan --format=json ./clean
python3 - "$T/out" <<'PY' || fail "json for no findings: $(cat "$T/out")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["findings"] == [] and v["errors"] == [], v
assert (v["stats"]["packages"], v["stats"]["files"]) == (1, 1), v
PY
# syntax errors are in "errors" (and still on stderr, in go's words); the
# package's other file is analysed
run 2 scan --format json ./bad
python3 - "$T/out" <<'PY' || fail "json errors: $(cat "$T/out")"
import json, sys
v = json.load(open(sys.argv[1]))
es = v["errors"]
assert [sorted(e) for e in es] == [["col", "file", "line", "message"]] * 2, es
assert [(e["file"], e["line"], e["col"]) for e in es] == [("bad/b.go", 4, 5), ("bad/b.go", 5, 3)], es
assert "missing condition" in es[0]["message"] and "expected '}'" in es[1]["message"], es
assert [(f["file"], f["function"]) for f in v["findings"]] == [("bad/ok.go", "k")], v
assert (v["stats"]["packages"], v["stats"]["files"]) == (1, 2), v["stats"]
PY
grep -q '^bad/b.go:4:5: missing condition' "$T/err" && grep -q "^bad/b.go:5:3: expected '}'" "$T/err" ||
    fail "json mode: syntax errors not on stderr: $(cat "$T/err")"

# a second module: methods and closures, a package error, generated files,
# columns after non-ASCII text
mkdir -p "$T/o"
cd "$T/o"
w go.mod 'module example.com/o\n'
w meth/m.go 'package meth\n\ntype T struct{}\n\nfunc (t *T) Run() {\n\tgo func() {\n\t\tfor {\n\t\t\tdefer println()\n\t\t}\n\t}()\n}\n\nfunc (T) V() {\n\tfor {\n\t\t_ = "\xf0\x9f\x98\x80\xc3\xa9"; defer println()\n\t}\n}\n'
w mixed/x.go 'package a\n'
w mixed/y.go 'package b\n'
w gen/g.go '// Code generated by tool. DO NOT EDIT.\n\npackage gen\n\nfunc G() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n'
w gen/use.go 'package gen\n\nfunc U() { G() }\n'
w gen/near.go '// Code generated by hand; do not edit.\n\npackage gen\n\nfunc N() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n'

run 2 scan --format json ./meth ./mixed
python3 - "$T/out" <<'PY' || fail "json methods, package error: $(cat "$T/out")"
import json, sys
v = json.load(open(sys.argv[1]))
got = [(f["file"], f["line"], f["function"]) for f in v["findings"]]
assert got == [("meth/m.go", 8, "(*T).Run"), ("meth/m.go", 15, "T.V")], got
es = v["errors"]
assert len(es) == 1, es
assert es[0]["file"] == "mixed" and "line" not in es[0] and "col" not in es[0], es
assert "found packages a" in es[0]["message"], es
assert v["stats"]["packages"] == 2, v["stats"]
PY
grep -q 'found packages a' "$T/err" || fail "package error not on stderr: $(cat "$T/err")"

# generated files: analysed (gen/use.go's call resolves) but not reported,
# unless --include-generated; a comment that only looks alike is no marker
run 1 scan ./gen
[ "$(cat "$T/out")" = "gen/near.go:7:3: defer-in-loop: defer inside a loop runs only when N returns, not at the end of each iteration (loop at line 6)" ] ||
    fail "generated file reported by default: $(cat "$T/out")"
run 1 scan --include-generated ./gen
grep -q '^gen/g.go:7:3: defer-in-loop: ' "$T/out" && [ "$(wc -l <"$T/out")" = 2 ] ||
    fail "--include-generated: $(cat "$T/out")"
run 1 scan --format json --include-generated ./gen
python3 - "$T/out" <<'PY' || fail "json --include-generated: $(cat "$T/out")"
import json, sys
v = json.load(open(sys.argv[1]))
assert [(f["file"], f["function"]) for f in v["findings"]] == [("gen/g.go", "G"), ("gen/near.go", "N")], v
PY

# SARIF: errors as tool execution notifications, columns in UTF-16 code
# units (declared), converted from the byte columns JSON gives
run 1 scan --format json ./meth
cp "$T/out" "$T/meth.json"
run 2 scan --format sarif ./meth ./mixed
python3 - "$T/out" "$T/meth.json" "$T/o" <<'PY' || fail "sarif notifications, columns: $(cat "$T/out")"
import json, sys
v = json.load(open(sys.argv[1]))
run = v["runs"][0]
assert run["columnKind"] == "utf16CodeUnits", run.get("columnKind")
inv = run["invocations"]
assert len(inv) == 1 and inv[0]["executionSuccessful"] is True, inv
ns = inv[0]["toolExecutionNotifications"]
assert len(ns) == 1, ns
n = ns[0]
assert n["level"] == "error" and "found packages a" in n["message"]["text"], n
assert n["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "mixed", "uriBaseId": "%SRCROOT%"}}, n
by_line = {f["line"]: f for f in json.load(open(sys.argv[2]))["findings"]}
src = open(sys.argv[3] + "/meth/m.go", encoding="utf-8").read().split("\n")
def utf16(line, col):
    b = src[line - 1].encode("utf-8")[:col - 1]
    return len(b.decode("utf-8").encode("utf-16-le")) // 2 + 1
rs = run["results"]
assert len(rs) == 2, rs
for r in rs:
    reg = r["locations"][0]["physicalLocation"]["region"]
    f = by_line[reg["startLine"]]
    assert reg["startColumn"] == utf16(f["line"], f["col"]), (reg, f)
    assert reg["endColumn"] == utf16(f["end_line"], f["end_col"]), (reg, f)
# line 15 has a 4-byte and a 2-byte character before the defer: 3 fewer units
reg = [r["locations"][0]["physicalLocation"]["region"] for r in rs][1]
assert reg["startLine"] == 15 and reg["startColumn"] == by_line[15]["col"] - 3, (reg, by_line[15])
PY
run 1 scan --format sarif ./gen
python3 - "$T/out" <<'PY' || fail "sarif for generated files: $(cat "$T/out")"
import json, sys
rs = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in rs] == ["gen/near.go"], rs
PY
cd "$T/m"

# SARIF 2.1.0: one run, the rules that ran, a result per finding
run 1 scan --format sarif --enable defer-in-loop .
python3 - "$T/out" "$T/m" <<'PY' || fail "sarif output"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["version"] == "2.1.0" and len(v["runs"]) == 1, v.keys()
run = v["runs"][0]
assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["defer-in-loop"], run["tool"]
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + sys.argv[2] + "/", run["originalUriBaseIds"]
rs = run["results"]
assert len(rs) == 2, rs
r = rs[0]
assert r["ruleId"] == "defer-in-loop" and r["level"] == "warning", r
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"] == {"uri": "a.go", "uriBaseId": "%SRCROOT%"}, loc
assert loc["region"] == {"startLine": 8, "startColumn": 3, "endLine": 8, "endColumn": 18}, loc
assert run["columnKind"] == "utf16CodeUnits", run
assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}], run["invocations"]
PY
# syntax errors: a notification at each error's position
run 2 scan --format sarif ./bad
python3 - "$T/out" <<'PY' || fail "sarif syntax error notification: $(cat "$T/out")"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ns = run["invocations"][0]["toolExecutionNotifications"]
assert len(ns) == 2 and all(n["level"] == "error" for n in ns), ns
assert "missing condition" in ns[0]["message"]["text"], ns
assert [n["locations"][0]["physicalLocation"] for n in ns] == [
    {"artifactLocation": {"uri": "bad/b.go", "uriBaseId": "%SRCROOT%"},
     "region": {"startLine": 4, "startColumn": 5}},
    {"artifactLocation": {"uri": "bad/b.go", "uriBaseId": "%SRCROOT%"},
     "region": {"startLine": 5, "startColumn": 3}}], ns
assert run["invocations"][0]["executionSuccessful"] is True
assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == ["bad/ok.go"]
PY

# rules and explain
run 0 rules
grep -q '^defer-in-loop ' "$T/out" || fail "rules does not list defer-in-loop"
run 0 explain defer-in-loop
grep -q '^defer-in-loop: ' "$T/out" && grep -q 'Leaky' "$T/out" && grep -q 'Fixed' "$T/out" ||
    fail "explain output: $(head -3 "$T/out")"
run 2 explain no-such-rule
run 2 explain
run 2 rules extra

# the bundled examples: the defer in examples/deferloop's loop is found, its
# fixed form (processOne) is not, and scanning writes nothing into the tree
cp -r "$LH_SRC/examples" "$T/ex"
chmod -R a-w "$T/ex"
before=$(cd "$T/ex" && find . -printf '%p %s %T@\n' | sort | md5sum)
cd "$T/ex"
rc=0
"$LH" scan ./... >"$T/out" 2>"$T/err" || rc=$?
cd "$T"
chmod -R u+w "$T/ex"
after=$(cd "$T/ex" && find . -printf '%p %s %T@\n' | sort | md5sum)
[ "$before" = "$after" ] || fail "scan changed the scanned tree"
[ "$rc" = 1 ] || fail "examples: exit $rc, want 1: $(cat "$T/err")"
grep -q '^deferloop/main.go:19:3: defer-in-loop: .*processForever' "$T/out" ||
    fail "examples/deferloop not found: $(cat "$T/out")"
[ "$(grep -c 'defer-in-loop' "$T/out")" = 1 ] || fail "examples: extra defer-in-loop findings: $(cat "$T/out")"

grep -q '^lostcancel/main.go:13:12: lost-cancel: .*context.WithTimeout is discarded' "$T/out" ||
    fail "examples/lostcancel not found: $(cat "$T/out")"
[ "$(grep -c 'lost-cancel' "$T/out")" = 1 ] || fail "examples: extra lost-cancel findings: $(cat "$T/out")"
# seed 004's program: the body closed only when the status is not OK
grep -q '^bodyclose/main.go:14:15: unclosed-body: .*http.Get is not closed on all paths' "$T/out" ||
    fail "examples/bodyclose not found: $(cat "$T/out")"
[ "$(grep -c 'unclosed-body' "$T/out")" = 1 ] || fail "examples: extra unclosed-body findings: $(cat "$T/out")"
# the examples' go.mod says go 1.19: unstopped tickers are never collected
grep -q '^ticker/main.go:11:7: ticker-not-stopped: .*time.NewTicker' "$T/out" ||
    fail "examples/ticker not found: $(cat "$T/out")"
# the cache that only grows, the 16 bytes that keep a whole file
grep -q '^cache/main.go:11:5: unbounded-cache: package-level map cache only grows' "$T/out" ||
    fail "examples/cache not found: $(cat "$T/out")"
grep -q '^subslice/main.go:18:10: subslice-retention: data\[:16\] is returned' "$T/out" ||
    fail "examples/subslice not found: $(cat "$T/out")"
# seed 002's fan-out: a goroutine per send to a list of channels
grep -q '^blockedsend/main.go:18:3: goroutine-blocked-send: a goroutine per send' "$T/out" ||
    fail "examples/blockedsend not found: $(cat "$T/out")"
[ "$(wc -l < "$T/out")" = 7 ] || fail "examples: unexpected findings: $(cat "$T/out")"
run 0 scan --enable unclosed-rows,unclosed-file,time-after-in-loop "$T/ex/..."

# a test of p importing q, which imports p: p's tests are analysed after
# q (as Go compiles them), so q's signatures are known there
mkdir -p "$T/cyc/p" "$T/cyc/q"
printf 'module example.com/cyc\n\ngo 1.22\n' > "$T/cyc/go.mod"
printf 'package p\n\nconst URL = "http://x"\n' > "$T/cyc/p/p.go"
cat > "$T/cyc/q/q.go" <<'GO'
package q

import (
	"net/http"

	"example.com/cyc/p"
)

func Fetch() (*http.Response, error) { return http.Get(p.URL) }
GO
cat > "$T/cyc/p/p_test.go" <<'GO'
package p

import (
	"testing"

	"example.com/cyc/q"
)

func TestFetch(t *testing.T) {
	resp, err := q.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}
GO
rc=0
(cd "$T/cyc" && "$LH" scan ./... >"$T/out" 2>"$T/err") || rc=$?
[ "$rc" = 1 ] || fail "test importing its own package: exit $rc, want 1: $(cat "$T/err")"
grep -q '^p/p_test.go:10:15: unclosed-body: .*from Fetch' "$T/out" ||
    fail "test importing a package that imports its own: $(cat "$T/out" "$T/err")"

# an empty directory below the pattern is no error (it once read as one:
# qsort with a NULL array let the compiler drop the empty-list case)
mkdir -p "$T/cyc/p/empty"
rc=0
(cd "$T/cyc" && "$LH" scan ./... >"$T/out" 2>"$T/err") || rc=$?
[ "$rc" = 1 ] && ! grep -q 'empty' "$T/err" || fail "empty directory: exit $rc: $(cat "$T/err")"

# the same ticker under a go 1.23 module is collected by the runtime: silent
mkdir -p "$T/new" && cp "$T/ex/ticker/main.go" "$T/new/" &&
    printf 'module example.com/new\n\ngo 1.23\n' > "$T/new/go.mod"
(cd "$T/new" && "$LH" scan ./... >"$T/out" 2>"$T/err") || fail "go 1.23 ticker: $(cat "$T/out" "$T/err")"

# patterns that match nothing, and files that are not Go, are errors: exit
# 2 and one line naming the path and what is wrong (vet's words where it has
# them), never a warning and exit 0
mkdir -p "$T/pat/emptydir" "$T/pat/p"
printf 'module example.com/pat\n' >"$T/pat/go.mod"
printf 'package p\n' >"$T/pat/p/p.go"
printf 'hello\n' >"$T/pat/notes.txt"
printf '\177ELF\002\001\001\000\000' >"$T/pat/blob.go"
pat() {     # pat PATTERN WANT-STDERR
    local rc=0
    (cd "$T/pat" && "$LH" scan "$1") >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = 2 ] || fail "scan $1: exit $rc, want 2: $(cat "$T/err")"
    [ "$(cat "$T/err")" = "$2" ] || fail "scan $1: stderr '$(cat "$T/err")', want '$2'"
    [ ! -s "$T/out" ] || fail "scan $1: output: $(cat "$T/out")"
}
pat ./nonexistent/... "leakhound scan: pattern ./nonexistent/...: lstat ./nonexistent/: no such file or directory"
pat ./emptydir/... 'leakhound scan: "./emptydir/..." matched no packages'
pat ./emptydir "leakhound scan: no Go files in $T/pat/emptydir"
pat ./nonexistent "leakhound scan: ./nonexistent: no such file or directory"
pat notes.txt "leakhound scan: notes.txt: not a Go file (a .go file or a package directory is expected)"
pat blob.go "leakhound scan: blob.go: a binary file, not Go source (it holds NUL bytes)"
pat gone.go "leakhound scan: gone.go: no such file or directory"
(cd "$T/pat" && "$LH" scan ./p/...) >"$T/out" 2>"$T/err" || fail "scan ./p/...: $(cat "$T/err")"

# a package error without a syntax error (two package clauses in one
# directory): exit 2 whatever else is found, and the error names the dir
mkdir -p "$T/perr/two"
printf 'module example.com/perr\n' >"$T/perr/go.mod"
printf 'package a\n\nfunc f() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n' >"$T/perr/two/a.go"
printf 'package b\n' >"$T/perr/two/b.go"
rc=0
(cd "$T/perr" && "$LH" scan ./...) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "package error: exit $rc, want 2: $(cat "$T/err")"
grep -q 'two' "$T/err" || fail "package error not named: $(cat "$T/err")"

# a module whose path merely starts with "context" is not package context:
# its own WithCancel, result discarded, is no lost-cancel (a near miss of
# the import path test, issue 13)
mkdir -p "$T/ctxl"
printf 'module contextual\n' >"$T/ctxl/go.mod"
printf 'package contextual\n\ntype Context interface{}\n\nfunc Background() Context { return nil }\n\nfunc WithCancel(c Context) (Context, func()) { return c, func() {} }\n\nfunc use() Context {\n\tc, _ := WithCancel(Background())\n\treturn c\n}\n' >"$T/ctxl/c.go"
rc=0
(cd "$T/ctxl" && "$LH" scan ./...) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$T/out" ] || fail "module contextual: exit $rc: $(cat "$T/out" "$T/err")"
# ... and the same code under package context is reported (the control)
mkdir -p "$T/ctxr"
printf 'module example.com/ctxr\n' >"$T/ctxr/go.mod"
printf 'package ctxr\n\nimport "context"\n\nfunc use() context.Context {\n\tc, _ := context.WithCancel(context.Background())\n\treturn c\n}\n' >"$T/ctxr/c.go"
rc=0
(cd "$T/ctxr" && "$LH" scan ./...) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q 'lost-cancel' "$T/out" || fail "package context control: exit $rc: $(cat "$T/out" "$T/err")"

echo "t_scan_cli: ok"
