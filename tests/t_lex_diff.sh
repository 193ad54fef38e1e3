#!/usr/bin/env bash
# The lexer against go/scanner: tokens (kind, position, text), comments and
# errors (position and message) must be identical on every .go file of
# GOROOT/src and GOROOT/test, and on generated inputs full of the cases a
# lexer gets wrong (bad escapes and digits, NUL, BOM, bad UTF-8, CRs,
# comments where a semicolon is owed). Go reports some errors twice, so
# repeated lines are folded on both sides.
#
# The lexer follows go/scanner of Go 1.25 and later (1.20 moved the
# semicolon owed before a trailing comment to after it, 1.21 raised the
# //line limit, 1.22 reworded curly quotes, 1.25 reports UTF-16 files
# once); with an older Go the test says so on one line and passes.
set -euo pipefail
: "${LH_SRC:?}" "${LH_BUILD:?}"
source "$LH_SRC/tests/golib.sh"

min_minor=25
gover=$(go env GOVERSION)
minor=$(sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p' <<< "$gover")
if [ -n "$minor" ] && [ "$minor" -lt "$min_minor" ]; then
    go_skip t_lex_diff "needs Go >= 1.$min_minor (have $gover)"
fi

work=$LH_BUILD/lexdiff
rm -rf "$work"
mkdir -p "$work/gen"
export GOCACHE=$LH_BUILD/go-cache GOPATH=$LH_BUILD/go-path GO111MODULE=off GOFLAGS=

go build -o "$work/gotok" "$LH_SRC/tests/lexdiff/gotok.go"
# The C side is built by CMake with the project's flags (target lh_ctok).
ln -sf "$LH_BUILD/lh_ctok" "$work/ctok"
[ -x "$work/ctok" ] || { echo "t_lex_diff: no $LH_BUILD/lh_ctok (build the project first)" >&2; exit 1; }

goroot=$(go env GOROOT)
find -L "$goroot/src" "$goroot/test" -name '*.go' -type f | LC_ALL=C sort > "$work/files"
n=$(wc -l < "$work/files")
if [ "$n" -lt 5000 ]; then
    echo "t_lex_diff: only $n Go files under $goroot (golang-src installed?)" >&2
    exit 1
fi
"$work/gotok" -gen "$work/gen" 10000 40 1
mkdir -p "$work/gen2"
"$work/gotok" -gen "$work/gen2" 2000 300 2
find "$work/gen" "$work/gen2" -name '*.go' | LC_ALL=C sort >> "$work/files"

status=0
xargs -a "$work/files" "$work/gotok" | uniq > "$work/go.out" || status=1
xargs -a "$work/files" "$work/ctok" | uniq > "$work/c.out" || status=1
if [ $status -ne 0 ] || ! cmp -s "$work/go.out" "$work/c.out"; then
    echo "t_lex_diff: leakhound's lexer differs from go/scanner (< go, > leakhound):" >&2
    diff "$work/go.out" "$work/c.out" | head -40 >&2
    line=$(cmp "$work/go.out" "$work/c.out" 2>/dev/null | sed -n 's/.*line \([0-9]*\).*/\1/p')
    [ -n "$line" ] && head -n "$line" "$work/go.out" | grep '^== ' | tail -1 >&2
    exit 1
fi
echo "t_lex_diff: $(wc -l < "$work/files") files, $(grep -c '^ERR' "$work/go.out") errors, identical"
rm -f "$work/go.out" "$work/c.out"
