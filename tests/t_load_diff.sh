#!/usr/bin/env bash
# Differential test of the module loader (src/load, `leakhound list`) with
# the go command as the oracle.
#
# 1. The Go distribution's own modules, std (GOROOT/src) and cmd
#    (GOROOT/src/cmd), pattern ./... (std's `std` pattern would add the
#    vendor/ packages by their GOROOT import paths and drop runtime/cgo when
#    cgo is off -- special cases of the std pattern, not of module loading):
#    go list -f '{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles " "}}'
#    against `leakhound list --format line` on linux/amd64 and windows/arm64,
#    and with TestGoFiles, XTestGoFiles and IgnoredGoFiles added (-test
#    --ignored) on linux/amd64, darwin/arm64 and windows/386.
# 2. A small module built here with the edge cases: nested module, testdata,
#    _dir, .dir, vendor, +build and //go:build, file-name suffixes, a
#    test-only package, an external test package, import "C", package
#    documentation, -tags, symlinks.
# cgo is off on both sides (CGO_ENABLED=0 for go; leakhound's default), as
# the go command here would otherwise turn it on because gcc exists; two
# more runs compare with cgo on (CGO_ENABLED=1, --cgo, CgoFiles added).
# The expected selection depends on the oracle's release (release tags,
# default experiments, known ports): leakhound acts as the same release,
# --go-release from `go env GOVERSION`, so old and new Go both agree. More
# ports (linux/loong64, linux/arm, linux/riscv64, wasip1/wasm), a
# GOEXPERIMENT and a GOAMD64 run check experiments and feature tags.
# 4. The release leakhound picks by itself from go.mod's go and toolchain
#    lines, against the Go 1.27.3 the go command fetches for such modules
#    (GOTOOLCHAIN, this part only, with the module proxy go env names), and
#    std of that Go.
# Parts the go on PATH is too old for are skipped with one line each
# ("t_load_diff: skipped: PART: needs Go >= 1.NN"); the rest still runs.
# Any difference in the package set or a file list fails the test.
#
# Env: LH (leakhound binary), LH_BUILD (build tree).
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_load_diff: FAIL: $*" >&2; exit 1; }

command -v go >/dev/null || fail "no Go toolchain on PATH (Debian: golang-go golang-src)"
goroot=$(go env GOROOT)
[ -f "$goroot/src/go.mod" ] || fail "no $goroot/src/go.mod (Debian: golang-src)"

work=$LH_BUILD/load-diff
rm -rf "$work"
mkdir -p "$work"
# the proxy the go command would fetch toolchains from, before it is shut
proxy=$(go env GOPROXY)
unset GOEXPERIMENT GOTOOLCHAIN GOFLAGS GO386 GOAMD64 GOARM GOARM64 GOMIPS GOMIPS64 GOPPC64 GORISCV64
export GOCACHE=$LH_BUILD/go-cache GOPATH=$LH_BUILD/go-path GOFLAGS=-mod=mod GOPROXY=off
export CGO_ENABLED=0 GO111MODULE=on GOTOOLCHAIN=local
unset GOOS GOARCH

release=$(go env GOVERSION | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
[ -n "$release" ] || fail "cannot tell the oracle's Go version from '$(go env GOVERSION)'"

short='{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles " "}}'
full="$short"' | {{join .TestGoFiles " "}} | {{join .XTestGoFiles " "}} | {{join .IgnoredGoFiles " "}}'
withcgo="$short"' | {{join .CgoFiles " "}} | {{join .TestGoFiles " "}} | {{join .XTestGoFiles " "}} | {{join .IgnoredGoFiles " "}}'

total_pkgs=0
total_files=0
runs=0
skips=0

# needs MINOR PART: whether the oracle is Go 1.MINOR or newer; else says so.
needs() {
    [ "$release" -ge "$1" ] && return 0
    echo "t_load_diff: skipped: $2: needs Go >= 1.$1"
    skips=$((skips + 1))
    return 1
}

# Set around a compare: extra environment for the go side only, for both
# sides, and leakhound's release flags (none: it decides from go.mod).
go_env=()
both_env=()
lh_release=(--go-release "$release")

# compare NAME DIR GOOS/GOARCH SHAPE [extra leakhound flags...] -- [extra go flags...]
compare() {
    local name=$1 dir=$2 port=$3 shape=$4
    shift 4
    local lhflags=() goflags=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do lhflags+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    goflags=("$@")
    local os=${port%/*} arch=${port#*/} fmt lhx=() label=$name
    local cgo=0
    case $shape in
    full) fmt=$full; lhx=(-test --ignored) ;;
    cgo) fmt=$withcgo; lhx=(--cgo -test --ignored); cgo=1 ;;
    *) fmt=$short ;;
    esac
    local out=$work/$label.${os}_$arch.$shape
    (cd "$dir" && env ${both_env[@]+"${both_env[@]}"} ${go_env[@]+"${go_env[@]}"} \
        CGO_ENABLED=$cgo GOOS=$os GOARCH=$arch go list -e ${goflags[@]+"${goflags[@]}"} -f "$fmt" ./...) \
        2>"$out.go.err" | sort >"$out.go" || fail "$name $port: go list failed: $(head -3 "$out.go.err")"
    local rc=0
    (cd "$dir" && env ${both_env[@]+"${both_env[@]}"} "$LH" list --format line \
        ${lh_release[@]+"${lh_release[@]}"} --goos "$os" --goarch "$arch" \
        ${lhx[@]+"${lhx[@]}"} ${lhflags[@]+"${lhflags[@]}"} ./...) 2>"$out.lh.err" | sort >"$out.lh" || rc=$?
    # 2 also for package and syntax errors, which go list -e lists too; a
    # fatal error lists nothing, which the comparison below catches.
    [ "$rc" = 0 ] || [ "$rc" = 2 ] || fail "$name $port: leakhound list exit $rc: $(head -3 "$out.lh.err")"
    if ! diff -u "$out.go" "$out.lh" >"$out.diff"; then
        echo "t_load_diff: $name $port ($shape): go list (-) vs leakhound list (+):" >&2
        head -40 "$out.diff" >&2
        fail "$name $port: package or file lists differ (all of it: $out.diff)"
    fi
    local pkgs files
    pkgs=$(wc -l <"$out.go")
    # every word after the package name that names a .go file
    files=$(grep -o '[^ ]*\.go\b' "$out.go" | wc -l)
    [ "$pkgs" -gt 0 ] || fail "$name $port: nothing listed (vacuous comparison)"
    echo "t_load_diff: $name $port $shape: $pkgs packages, $files file names identical"
    total_pkgs=$((total_pkgs + pkgs))
    total_files=$((total_files + files))
    runs=$((runs + 1))
}

# ---- 1. GOROOT's modules ------------------------------------------------
compare std "$goroot/src" linux/amd64 short
compare std "$goroot/src" windows/arm64 short
compare std "$goroot/src" linux/amd64 full
compare std "$goroot/src" darwin/arm64 full
compare std "$goroot/src" windows/386 full
compare std "$goroot/src" linux/amd64 cgo
compare std "$goroot/src" darwin/arm64 cgo
compare cmd "$goroot/src/cmd" linux/amd64 full
compare cmd "$goroot/src/cmd" windows/arm64 short
[ "$(wc -l <"$work/std.linux_amd64.short.go")" -ge 150 ] || fail "std lists too few packages"
# ports with their own experiments and feature tags (arm.5 .. arm.7,
# ppc64.power8, loong64's register ABI), and wasip1 (Go 1.21)
compare std "$goroot/src" linux/loong64 full
compare std "$goroot/src" linux/arm short
compare std "$goroot/src" linux/ppc64le short
if needs 21 "std wasip1/wasm"; then
    compare std "$goroot/src" wasip1/wasm full
fi
# experiments changed by GOEXPERIMENT (noregabi: riscv64's register ABI is
# optional in some releases, always on in others), and a higher GOAMD64
both_env=(GOEXPERIMENT=fieldtrack,staticlockranking,noregabi)
compare std-goexperiment "$goroot/src" linux/riscv64 short
both_env=(GOAMD64=v3)
compare std-goamd64v3 "$goroot/src" linux/amd64 short
both_env=()

# ---- 2. edge cases ------------------------------------------------------
m=$work/mod
mkdir -p "$m"
w() { mkdir -p "$(dirname "$m/$1")"; printf '%b' "$2" >"$m/$1"; }
w go.mod 'module example.com/m // the main module\n\ngo 1.18\n\nrequire (\n\tgolang.org/x/none v0.0.0 // never fetched\n)\n'
w a.go '// Package m is the root.\npackage m\n'
w a_linux.go 'package m\n'
w a_windows_arm64.go 'package m\n'
w a_arm64.go 'package m\n'
w linux.go 'package m\n'
w b.go '//go:build (linux || darwin) && !386\n\npackage m\n'
w c.go '// +build windows darwin\n// +build !cgo\n\npackage m\n'
w d.go '// +build windows\npackage m\n'
w e.go '// Copyright\n\n//go:build ignore\n\npackage main\n'
w f.go 'package m\n\nimport (\n\t"fmt"\n\tC "C"\n)\n'
w g.go '//go:build mytag\n\npackage m\n'
w h.go '//go:build go1.18 && !go1.99\n\npackage m\n'
w doc.go 'package documentation\n'
w a_wasip1.go 'package m\n'
w exp_on.go '//go:build goexperiment.regabiargs && !goexperiment.fieldtrack\n\npackage m\n'
w exp_new.go '//go:build goexperiment.greenteagc || goexperiment.jsonv2 || goexperiment.dwarf5\n\npackage m\n'
w level.go '//go:build amd64.v1 && !amd64.v2 || arm.6 || arm64.v8.0\n\npackage m\n'
w rel.go '//go:build go1.21 && !go1.27\n\npackage m\n'
w m_test.go 'package m\n'
w x_test.go 'package m_test\n'
w _skip.go 'package other\n'
w .hidden.go 'package other\n'
w notgo.txt 'package other\n'
w sub/s.go 'package sub\n'
w sub/deeper/t.go '//go:build unix\n\npackage deeper\n'
w onlytest/o_test.go 'package onlytest\n'
w excluded/x.go '//go:build ignore\n\npackage excluded\n'
w testdata/t.go 'package testdata\n'
w _under/u.go 'package under\n'
w .dot/u.go 'package dot\n'
w vendor/v/v.go 'package v\n'
w nested/go.mod 'module example.com/nested\n'
w nested/n.go 'package nested\n'
w empty/README 'no Go here\n'
ln -s sub "$m/linkdir"          # the walk does not follow directory links
ln -s a.go "$m/alias.go"        # file links are files
compare mod "$m" linux/amd64 full
compare mod "$m" windows/arm64 full
compare mod "$m" darwin/386 full
compare mod-tags "$m" linux/amd64 full -tags mytag,other -- -tags mytag,other
compare mod "$m" js/wasm short
compare mod "$m" linux/arm short
compare mod "$m" darwin/arm64 short
compare mod-cgo "$m" linux/amd64 cgo

# ---- 3. broken packages: listed as go list -e lists them, errors reported --
b=$work/bad
mkdir -p "$b"
m=$b
w go.mod 'module bad\n'
w two/a.go 'package a\n'
w two/b.go 'package b\n'
w badbuild/x.go '//go:build linux &&\n\npackage bb\n'
w badbuild/y.go 'package bb\n'
w syn/s.go 'package syn\n\nfunc f() {\n\tx := \n}\n'
w ok/ok.go 'package ok\n'
w allx/w.go '//go:build windows\n\npackage allx\n'
compare bad "$b" linux/amd64 short
rc=0
(cd "$b" && "$LH" list --format line ./...) >"$work/bad.out" 2>"$work/bad.err" || rc=$?
[ "$rc" = 2 ] || fail "broken packages: exit $rc, want 2"
for want in "found packages a (a.go) and b (b.go) in $b/two" \
            "badbuild/x.go: parsing //go:build line: unexpected end of expression" \
            "syn/s.go:5:1: "; do
    grep -qF "$want" "$work/bad.err" || fail "broken packages: stderr lacks '$want': $(cat "$work/bad.err")"
done
rc=0
(cd "$b" && "$LH" list ./allx) >/dev/null 2>"$work/allx.err" || rc=$?
[ "$rc" = 2 ] && grep -qF "build constraints exclude all Go files in $b/allx" "$work/allx.err" ||
    fail "a directory named whose files are all excluded: exit $rc, $(cat "$work/allx.err")"

# ---- 4. the release from go.mod, against the Go 1.27.3 it asks for --------
# leakhound gets no --go-release here: the go and toolchain lines decide.
# Modules saying `go 1.27` (the go command would fetch 1.27.0, so 1.27.3
# is named instead, which has the same tags) and `go 1.22` + `toolchain
# go1.27.3` (GOTOOLCHAIN=auto: the go command's own choice while the go
# on PATH is older).
mkrel() {
    m=$work/$1
    mkdir -p "$m"
    w go.mod "module example.com/$1\n\n$2\n"
    w a.go 'package m\n'
    w new.go '//go:build go1.27\n\npackage m\n'
    w old.go '//go:build !go1.27\n\npackage m\n'
    w v22.go '//go:build go1.22 && !go1.23\n\npackage m\n'
    w json.go '//go:build goexperiment.jsonv2 && goexperiment.sizespecializedmalloc\n\npackage m\n'
    w leak.go '//go:build goexperiment.goroutineleakprofile\n\npackage m\n'
    w b_wasip1.go 'package m\n'
    w sub/s.go '//go:build goexperiment.greenteagc && go1.26\n\npackage sub\n'
}
if needs 21 "go.mod go/toolchain lines against Go 1.27.3 (GOTOOLCHAIN)"; then
    if ! (cd "$work" && GOPROXY=$proxy GOTOOLCHAIN=go1.27.3 go version) >"$work/go127.log" 2>&1; then
        echo "t_load_diff: skipped: go.mod go/toolchain lines against Go 1.27.3: the go command could not fetch it: $(tail -1 "$work/go127.log")"
        skips=$((skips + 1))
    else
        lh_release=()
        go_env=(GOPROXY="$proxy" GOTOOLCHAIN=go1.27.3)
        mkrel rel127 'go 1.27.3'
        compare rel127 "$work/rel127" linux/amd64 full
        compare rel127 "$work/rel127" darwin/arm64 short
        mkrel tc127 'go 1.22\n\ntoolchain go1.27.3'
        [ "$release" -lt 27 ] && go_env=(GOPROXY="$proxy" GOTOOLCHAIN=auto)
        compare tc127 "$work/tc127" linux/amd64 full
        go_env=(GOPROXY="$proxy" GOTOOLCHAIN=go1.27.3)
        goroot127=$(cd "$work" && env "${go_env[@]}" go env GOROOT)
        compare std127 "$goroot127/src" linux/amd64 short
        compare std127 "$goroot127/src" linux/s390x short
        compare std127 "$goroot127/src" darwin/arm64 short
        go_env=()
        lh_release=(--go-release "$release")
    fi
fi

echo "t_load_diff: OK: $runs comparisons, $total_pkgs packages and $total_files file names matched go list$([ "$skips" = 0 ] || echo ", $skips parts skipped")"
