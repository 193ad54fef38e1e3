#!/usr/bin/env bash
# Black-box contract of `leakhound list`: exit codes, messages, formats,
# target selection from flags and environment. (Agreement with go list is
# tests/t_load_diff.sh.)
#
# Env: LH (leakhound binary), LH_BUILD (build tree).
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_list_cli: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/list-cli
# what the user's environment could change about the selection
unset GOEXPERIMENT GOTOOLCHAIN GOAMD64 GOARM
rm -rf "$T"
mkdir -p "$T/m"
cd "$T/m"
w() { mkdir -p "$(dirname "$1")"; printf '%b' "$2" >"$1"; }
w go.mod 'module example.com/m\n'
w a.go 'package m\n'
w a_windows.go 'package m\n'
w t.go '//go:build mytag\n\npackage m\n'
w a_test.go 'package m\n'
w bad/b.go 'package bad\n\nfunc f() {\n\tif {\n}\n'
w good/g.go 'package good\n'

# run EXPECTED_EXIT ARGS...: output in $T/out, $T/err
run() {
    local want=$1 rc=0
    shift
    (unset GOOS GOARCH CGO_ENABLED; "$LH" list "$@") >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "list $*: exit $rc, want $want; stderr: $(head -3 "$T/err")"
}

run 0 --help
grep -q 'usage: leakhound list' "$T/out" || fail "--help prints no usage"
run 2 --no-such-option
run 2 --format yaml .
run 2 -j 0 .
run 2 --goos plan10 .
run 2 --goarch amd65 .
run 2 ./missing
[ "$(wc -l <"$T/err")" = 1 ] && grep -q 'missing' "$T/err" || fail "missing dir: want one line naming it: $(cat "$T/err")"

# a pattern matching nothing is an error (exit 2), a missing walk root in
# the go command's words, an existing one without packages as its warning
run 2 ./missing/...
[ "$(cat "$T/err")" = "leakhound list: pattern ./missing/...: lstat ./missing/: no such file or directory" ] ||
    fail "missing walk root: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "output for a pattern matching nothing"
mkdir -p empty
run 2 ./empty/...
[ "$(cat "$T/err")" = 'leakhound list: "./empty/..." matched no packages' ] ||
    fail "pattern matching nothing: $(cat "$T/err")"
run 2 ./empty
[ "$(cat "$T/err")" = "leakhound list: no Go files in $T/m/empty" ] || fail "empty dir: $(cat "$T/err")"
rmdir empty

# syntax errors: file:line:col on stderr, exit 2, the listing goes on
run 2 --format line ./...
grep -q '^bad/b.go:4:5: ' "$T/err" || fail "syntax error not reported as file:line:col: $(cat "$T/err")"
grep -q '^example.com/m/good ' "$T/out" || fail "listing stopped at the syntax error"
run 0 --format line .
[ "$(cat "$T/out")" = "example.com/m $T/m m a.go" ] || fail "line format: $(cat "$T/out")"

# target: flags, then environment, then linux/amd64
run 0 --format line --goos windows .
grep -q ' a.go a_windows.go$' "$T/out" || fail "--goos windows: $(cat "$T/out")"
rc=0
GOOS=windows "$LH" list --format line . >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 0 ] && grep -q ' a.go a_windows.go$' "$T/out" || fail "GOOS=windows env: $(cat "$T/out")"
run 0 --format line -tags other,mytag .
grep -q ' a.go t.go$' "$T/out" || fail "-tags: $(cat "$T/out")"
run 0 --format line -test --ignored .
grep -q ' a.go | a_test.go |  | a_windows.go t.go$' "$T/out" || fail "-test --ignored: $(cat "$T/out")"
run 0 --format=line -tags=mytag --goos=windows -test=false .
grep -q ' a.go a_windows.go t.go$' "$T/out" || fail "-flag=value forms: $(cat "$T/out")"
run 0 --format line -test=true --ignored .
grep -q ' a.go | a_test.go |  | a_windows.go t.go$' "$T/out" || fail "-test --ignored: $(cat "$T/out")"

# the release: go.mod's go and toolchain lines, GOTOOLCHAIN, --go-release
# (27, 1.27, go1.27.3); GOEXPERIMENT as the release knows it
w rel/go.mod 'module example.com/rel\n\ngo 1.22\n\ntoolchain go1.27.3\n'
w rel/a.go 'package rel\n'
w rel/new.go '//go:build go1.27 && goexperiment.jsonv2\n\npackage rel\n'
(cd rel && run 0 --format line .)
grep -q ' a.go new.go$' "$T/out" || fail "toolchain go1.27.3 in go.mod: $(cat "$T/out")"
for r in 26 1.26 go1.26.8; do
    (cd rel && run 0 --format line --go-release "$r" .)
    grep -q ' a.go$' "$T/out" || fail "--go-release $r: $(cat "$T/out")"
done
(cd rel && run 2 --go-release banana .)
rc=0
(cd rel && GOTOOLCHAIN=go1.26.8 "$LH" list --format line .) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 0 ] && grep -q ' a.go$' "$T/out" || fail "GOTOOLCHAIN=go1.26.8: $(cat "$T/out" "$T/err")"
rc=0
(cd rel && GOEXPERIMENT=nojsonv2 "$LH" list --format line .) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 0 ] && grep -q ' a.go$' "$T/out" || fail "GOEXPERIMENT=nojsonv2: $(cat "$T/out" "$T/err")"
rc=0
(cd rel && GOEXPERIMENT=bogus "$LH" list --format line .) >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q 'unknown GOEXPERIMENT bogus' "$T/err" ||
    fail "GOEXPERIMENT=bogus: exit $rc, $(cat "$T/err")"
rm -r rel

# a named file: the ad hoc package, constraints not applied
run 0 --format line t.go
[ "$(cat "$T/out")" = "command-line-arguments $T/m m t.go" ] || fail "file operand: $(cat "$T/out")"

# text and JSON
run 0 -test --ignored .
grep -q '^  test:    a_test.go$' "$T/out" || fail "text format: $(cat "$T/out")"
run 2 --format json -test --ignored ./...
if command -v python3 >/dev/null; then
    python3 -c '
import json, sys
pkgs = json.load(open(sys.argv[1]))
assert [p["ImportPath"] for p in pkgs] == ["example.com/m", "example.com/m/bad", "example.com/m/good"], pkgs
assert pkgs[0]["GoFiles"] == ["a.go"] and pkgs[0]["TestGoFiles"] == ["a_test.go"], pkgs[0]
assert pkgs[0]["IgnoredGoFiles"] == ["a_windows.go", "t.go"], pkgs[0]
' "$T/out" || fail "JSON output: $(cat "$T/out")"
else
    echo "t_list_cli: python3 missing, JSON not validated"
fi
# nested modules: ./... stops at a directory with its own go.mod, as the go
# command does, and one note counts what was left out; --all-modules takes
# them all; a go.work's use lines take theirs (also below a module left out)
N=$T/nest
mkdir -p "$N/a" "$N/sub1/x" "$N/sub2/deep/y" "$N/sub1/testdata/z"
printf 'module example.com/root\n\ngo 1.22\n' >"$N/go.mod"
printf 'package a\n' >"$N/a/a.go"
for m in sub1 sub2 sub2/deep sub1/testdata/z; do printf 'module example.com/%s\n\ngo 1.22\n' "$m" >"$N/$m/go.mod"; done
printf 'package x\n' >"$N/sub1/x/x.go"
printf 'package sub2\n' >"$N/sub2/s.go"
printf 'package y\n' >"$N/sub2/deep/y/y.go"
pkgs() { cut -d' ' -f1 "$T/out" | tr '\n' ' '; }
(cd "$N" && run 0 --format line ./...)
[ "$(pkgs)" = "example.com/root/a " ] || fail "nested modules: $(cat "$T/out")"
[ "$(grep -c . "$T/err")" = 1 ] && grep -q '^leakhound list: note: 3 nested modules left out: sub1 and others have a go.mod of their own' "$T/err" ||
    fail "nested modules note: $(cat "$T/err")"
(cd "$N" && run 0 --format line --all-modules ./...)
[ "$(pkgs)" = "example.com/root/a example.com/sub1/x example.com/sub2 example.com/sub2/deep/y " ] ||
    fail "--all-modules: $(cat "$T/out")"
[ ! -s "$T/err" ] || fail "--all-modules: a note: $(cat "$T/err")"
(cd "$N/sub2" && run 0 --format line ./...)
[ "$(pkgs)" = "example.com/sub2 " ] && grep -q 'note: 1 nested module left out: deep has a go.mod of its own' "$T/err" ||
    fail "nested module from sub2: $(cat "$T/out" "$T/err")"
printf 'go 1.22\n\nuse (\n\t.\n\t"./sub2/deep" // in a module left out\n)\n' >"$N/go.work"
(cd "$N" && run 0 --format line ./...)
[ "$(pkgs)" = "example.com/root/a example.com/sub2/deep/y " ] || fail "go.work: $(cat "$T/out")"
grep -q 'note: 2 nested modules left out' "$T/err" || fail "go.work note: $(cat "$T/err")"
(cd "$N" && GOWORK=off "$LH" list --format line ./...) >"$T/out" 2>"$T/err" || fail "GOWORK=off: $(cat "$T/err")"
[ "$(pkgs)" = "example.com/root/a " ] || fail "GOWORK=off: $(cat "$T/out")"
# a workspace root that is no module: its modules, as `go list work` lists them
W=$T/ws
mkdir -p "$W/svc1/p" "$W/svc2/q" "$W/lib/r"
for m in svc1 svc2 lib; do printf 'module example.com/%s\n\ngo 1.22\n' "$m" >"$W/$m/go.mod"; done
printf 'package p\n' >"$W/svc1/p/p.go"
printf 'package q\n' >"$W/svc2/q/q.go"
printf 'package r\n' >"$W/lib/r/r.go"
printf 'go 1.22\n\nuse ./svc1\nuse ./svc2\n' >"$W/go.work"
(cd "$W" && run 0 --format line ./...)
[ "$(pkgs)" = "example.com/svc1/p example.com/svc2/q " ] || fail "workspace root: $(cat "$T/out")"
grep -q 'note: 1 nested module left out: lib has' "$T/err" || fail "workspace note: $(cat "$T/err")"
if command -v go >/dev/null && [ "$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')" -ge 25 ]; then
    (cd "$W" && GOTOOLCHAIN=local GOFLAGS= go list work) >"$T/go.out" 2>&1 || fail "go list work: $(cat "$T/go.out")"
    [ "$(tr '\n' ' ' <"$T/go.out")" = "$(pkgs)" ] || fail "go list work: $(cat "$T/go.out") vs $(pkgs)"
else
    echo "t_list_cli: go list work not compared: needs Go >= 1.25"
fi
(cd "$W" && GOWORK=off "$LH" list ./...) >"$T/out" 2>"$T/err" && fail "GOWORK=off at a root with no module: exit 0"
grep -q '"./..." matched no packages' "$T/err" || fail "GOWORK=off, no module: $(cat "$T/err")"

# list streams its packages (each one's trees freed once it is printed)
# in the loader's dependency order, but prints in import path order, as go
# list: ex/a imports ex/z, so z is parsed and handed over first. The JSON
# commas and each package's syntax errors follow the printed order.
O=$T/order
mkdir -p "$O/a" "$O/z"
printf 'module ex\n\ngo 1.22\n' >"$O/go.mod"
printf 'package a\n\nimport "ex/z"\n\nfunc F() { z.G( }\n' >"$O/a/a.go"
printf 'package z\n\nfunc G() {}\n' >"$O/z/z.go"
printf 'package z\nfunc (\n' >"$O/z/bad.go"
(cd "$O" && run 2 --json ./...)
python3 - "$T/out" <<'PY' || fail "streamed list order: $(cat "$T/out")"
import json, sys
ps = json.load(open(sys.argv[1]))
assert [p["ImportPath"] for p in ps] == ["ex/a", "ex/z"], ps
PY
[ "$(cut -d: -f1 "$T/err" | tr '\n' ' ')" = "a/a.go z/bad.go " ] || fail "streamed list errors: $(cat "$T/err")"

echo "t_list_cli: OK"
