#!/usr/bin/env bash
# Differential test of leakhound's Go parser against go/parser.
#
# tests/goast (go/parser, built here with the installed Go toolchain) and
# `leakhound parse --dump` print every .go file of $(go env GOROOT)/src and
# $(go env GOROOT)/test in the canonical form of docs/ast-dump.md; the two
# outputs are compared file by file, streaming (they are ~1 GB each for src).
# Any dump difference, or a file one side accepts and the other rejects,
# fails the test. The last summary is kept in $LH_BUILD/diff-summary.txt.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
# Set LH_DIFF_TREES="src" to skip GOROOT/test.
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_parse_diff: FAIL: $*" >&2; exit 1; }

command -v go >/dev/null || fail "no Go toolchain on PATH (Debian: golang-go golang-src)"
goroot=$(go env GOROOT)
[ -d "$goroot/src" ] || fail "no $goroot/src (Debian: golang-src)"

work=$LH_BUILD/parse-diff
mkdir -p "$work"

# Offline build into the build tree; nothing is written into the sources.
export GOCACHE=$LH_BUILD/go-cache GOPATH=$LH_BUILD/go-path GOFLAGS=-mod=mod GOPROXY=off
(cd "$LH_SRC/tests/goast" && go build -o "$work/goast" .) || fail "cannot build the oracle tests/goast"
goast=$work/goast

# A missing or broken parse command is a failure, not a skip.
printf 'package p\n\nvar x = 1\n' > "$work/probe.go"
"$goast" "$work/probe.go" > "$work/probe.want" || fail "the oracle cannot dump a trivial file"
if ! "$LH" parse --dump "$work/probe.go" > "$work/probe.got" 2> "$work/probe.err"; then
    fail "'leakhound parse --dump' does not run on a trivial file: $(head -c 300 "$work/probe.err")"
fi
cmp -s "$work/probe.want" "$work/probe.got" || {
    diff "$work/probe.want" "$work/probe.got" | head -20 >&2
    fail "'leakhound parse --dump' of a trivial file differs from go/parser"
}

# diff_tree NAME DIR MIN: compare every regular .go file under DIR (at least
# MIN of them, so that an empty find cannot pass).
diff_tree() {
    local name=$1 dir=$2 min=$3
    local list=$work/$name.list
    # -L: Debian's GOROOT/src is a symlink. -type f: src/go/parser/testdata
    # has a directory named not_a_file.go.
    find -L "$dir" -name '*.go' -type f | LC_ALL=C sort > "$list"
    local n
    n=$(wc -l < "$list")
    [ "$n" -ge "$min" ] || fail "only $n .go files under $dir (expected at least $min)"
    echo "t_parse_diff: $name: $n files under $dir"

    # Both dumps are streamed into the comparison, never stored. xargs may
    # split the paths over several leakhound runs; their outputs follow the
    # list order all the same.
    local rc=0
    "$goast" -compare -list "$list" -max 30 \
        -errs-a "$work/$name.goparser.err" -errs-b "$work/$name.leakhound.err" \
        <("$goast" -list "$list" 2> "$work/$name.goparser.err") \
        <(xargs -d '\n' -a "$list" "$LH" parse --dump 2> "$work/$name.leakhound.err"
          echo $? > "$work/$name.xargs.rc") \
        > "$work/$name.summary" || rc=$?
    # The process substitutions may finish after the comparison returns.
    local i
    for i in $(seq 100); do [ -s "$work/$name.xargs.rc" ] && break; sleep 0.1; done
    local xrc
    xrc=$(cat "$work/$name.xargs.rc" 2>/dev/null || echo "?")
    case $xrc in
    0|123) ;;   # 123: some run exited 1 (syntax errors) or 2 -- expected
    *) echo "leakhound parse: xargs exit $xrc (124: a run exited 255, 125: a run was killed by a signal)" \
            >> "$work/$name.summary"; rc=1 ;;
    esac
    { echo "== GOROOT/$name ($(date -u +%FT%TZ))"; cat "$work/$name.summary"; } >> "$work/diff-summary.new"
    cat "$work/$name.summary"
    return $rc
}

rm -f "$work/diff-summary.new" "$work"/*.xargs.rc
status=0
diff_tree src "$goroot/src" 5000 || status=1
case " ${LH_DIFF_TREES:-src test} " in
*" test "*) diff_tree test "$goroot/test" 2000 || status=1 ;;
esac
mv "$work/diff-summary.new" "$LH_BUILD/diff-summary.txt"

[ $status -eq 0 ] || fail "leakhound and go/parser disagree (details above; summary in $LH_BUILD/diff-summary.txt)"
echo "t_parse_diff: ok"
