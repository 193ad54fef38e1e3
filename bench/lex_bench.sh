#!/usr/bin/env bash
# Lexer speed: leakhound vs go/scanner over every .go file of GOROOT/src.
#
#   bash bench/lex_bench.sh [BUILD_DIR]      (default: build)
#
# Both sides read all files into memory first, then scan them on one thread
# with comments kept: go/scanner through tests/lexdiff/gotok.go -bench,
# leakhound through bench/lex_bench.c. The machine is shared, so the sides
# alternate RUNS times (default 3) and the best run of each counts. Prints
# both MB/s, the ratio, and each side's peak RSS (which includes the ~90 MB
# of source held in memory). A benchmark, not a test: nothing is asserted.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(realpath -m "${1:-$src/build}")
work=$build/lex-bench
mkdir -p "$work"
. "$src/bench/lib.sh"
{
    [ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build" --target lex_bench -j2
} > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; echo "lex_bench: build failed" >&2; exit 1; }
export GOCACHE=$build/go-cache GOPATH=$build/go-path GO111MODULE=off GOFLAGS=
go build -o "$work/gotok" "$src/tests/lexdiff/gotok.go"

goroot=$(go env GOROOT)
find -L "$goroot/src" -name '*.go' -type f | LC_ALL=C sort > "$work/src.list"
echo "lex_bench: $(wc -l < "$work/src.list") files of $goroot/src ($(go version | cut -d' ' -f3)), $(load)"

mbs() { sed -n 's/.*MB\/s=\([0-9.]*\).*/\1/p'; }
go_mbs=0 lh_mbs=0 best_go="" best_lh="" go_rss=0 lh_rss=0
for i in $(seq "${RUNS:-3}"); do
    measure "$work/go.out" "$work/gotok" -bench "$work/src.list" 2
    [ "$M_RC" = 0 ] || { cat "$work/go.out.err" >&2; exit 1; }
    g=$(cat "$work/go.out") go_rss=$((M_RSS > go_rss ? M_RSS : go_rss))
    measure "$work/lh.out" "$build/lex_bench" "$work/src.list" 2
    [ "$M_RC" = 0 ] || { cat "$work/lh.out.err" >&2; exit 1; }
    l=$(cat "$work/lh.out") lh_rss=$((M_RSS > lh_rss ? M_RSS : lh_rss))
    echo "  run $i: go/scanner $(echo "$g" | mbs) MB/s, leakhound $(echo "$l" | mbs) MB/s"
    if awk -v a="$(echo "$g" | mbs)" -v b="$go_mbs" 'BEGIN { exit !(a > b) }'; then
        best_go=$g go_mbs=$(echo "$g" | mbs)
    fi
    if awk -v a="$(echo "$l" | mbs)" -v b="$lh_mbs" 'BEGIN { exit !(a > b) }'; then
        best_lh=$l lh_mbs=$(echo "$l" | mbs)
    fi
done
echo "$best_go"
echo "$best_lh"
awk -v g="$go_mbs" -v l="$lh_mbs" 'BEGIN { printf "ratio: leakhound/go/scanner = %.2fx\n", l / g }'
echo "peak RSS: go/scanner $(mib "$go_rss"), leakhound $(mib "$lh_rss"), go/scanner/leakhound $(ratio "$go_rss" "$lh_rss")x"
