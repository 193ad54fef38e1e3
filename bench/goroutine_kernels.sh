#!/usr/bin/env bash
# leakhound scan's goroutine rules (goroutine-blocked-send, goroutine-no-exit,
# unbounded-goroutines) on the Go runtime's own goroutine leak kernels:
# GOROOT/src/runtime/testdata/testgoroutineleakprofile (simple.go,
# commonpatterns.go, stresstests.go, and goker/ -- GoBench's blocking bugs),
# scored against the expectations of GOROOT/src/runtime/
# goroutineleakprofile_test.go. Measures; asserts nothing.
#
#   bash bench/goroutine_kernels.sh [BUILD_DIR]    # default build/; VERBOSE=1
#
# For the Go on PATH and, when `GOTOOLCHAIN=go1.27.3 go env GOROOT` answers
# (it may fetch the toolchain through the module proxy; skipped otherwise,
# GO127=0 skips it), Go 1.27.3:
#  - the kernel directory is copied into a temp dir with a go.mod of its own
#    (the go line of GOROOT/src/go.mod) and scanned there with
#    `leakhound scan --format json ./...`. The kernels are two packages
#    main, the top directory and goker/, each spread over many files that
#    share declarations (register, yieldCount, package-level channels), so
#    each directory is scanned as the one package it is: a file alone would
#    lose those names. In GOROOT itself testdata/ is outside every pattern,
#    and GOROOT/src is the std module; the copy avoids both and keeps
#    GOROOT untouched.
#  - bench/kernels (go build into the temp dir, GOTOOLCHAIN=local) parses the test file (every
#    makeTest/makeFlakyTest with its leak regexps; commented-out entries do
#    not count) and the kernels: register("Name", Fn) names the tests, a go
#    statement belongs to each test whose function reaches the declared
#    function around it through the functions and methods it mentions by
#    name (same file first), or else to the test registered in its file.
#  - prints leaky tests (listed with leak patterns, flaky ones included) and
#    how many a goroutine rule reports, clean tests (listed, no pattern) and
#    how many get a goroutine finding, tests registered but not listed
#    (Kubernetes1321), findings by rule, goroutine findings at go statements
#    that do not start one of the expected leaked goroutines (marked (!)),
#    and one row per test: expected, go statements, findings rule@file:line.
# About 3 s in all (0.2 s of scan per version; the rest is building
# bench/kernels, once per run, from the go build cache when warm).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
command -v go >/dev/null || { echo "no go on PATH" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lh-kernels.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The scorer once, with the local toolchain (no download for bench/kernels).
(cd "$here/kernels" && GOTOOLCHAIN=local go build -o "$tmp/kernels" .)

run_version() { # run_version LABEL GOROOT
    local label=$1 root=$2 src=$2/src/runtime/testdata/testgoroutineleakprofile
    local test=$2/src/runtime/goroutineleakprofile_test.go
    if [ ! -d "$src" ] || [ ! -f "$test" ]; then
        echo "== $label: no $src or $test, skipped"
        return
    fi
    local work=$tmp/$label
    mkdir -p "$work"
    cp -R "$src" "$work/k"
    chmod -R u+w "$work/k"
    local goline
    goline=$(awk '$1 == "go" { print $2; exit }' "$root/src/go.mod" 2>/dev/null || true)
    printf 'module testgoroutineleakprofile\n\ngo %s\n' "${goline:-1.26}" >"$work/k/go.mod"
    local t0 t1 rc=0
    t0=$(date +%s.%N)
    (cd "$work/k" && "$lh" scan --format json ./... >"$work/scan.json" 2>"$work/scan.err") || rc=$?
    t1=$(date +%s.%N)
    # 0 nothing found, 1 findings or syntax errors; anything else is a failure.
    if [ "$rc" -gt 1 ]; then
        echo "== $label: leakhound scan exited $rc:" >&2
        cat "$work/scan.err" >&2
        return
    fi
    "$tmp/kernels" -testfile "$test" -root "$work/k" -findings "$work/scan.json" \
        -label "$label ($src)" ${VERBOSE:+-v}
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "leakhound scan wall: %.2f s\n\n", b - a }'
}

run_version "$(go env GOVERSION)" "$(go env GOROOT)"
if [ "${GO127:-1}" != 0 ]; then
    if r127=$(GOTOOLCHAIN=go1.27.3 go env GOROOT 2>/dev/null) && [ -n "$r127" ]; then
        run_version go1.27.3 "$r127"
    else
        echo "== go1.27.3: GOTOOLCHAIN=go1.27.3 go env GOROOT failed, skipped"
    fi
fi
