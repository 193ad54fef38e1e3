#!/usr/bin/env bash
# Parser speed: leakhound vs go/parser over every .go file of GOROOT/src.
#
#   bash bench/parse_bench.sh [BUILD_DIR]      (default: build)
#
# Both sides read all files into memory first and then parse them on one
# thread with the same mode (comments kept, no object resolution): go/parser
# through tests/goast -bench, leakhound through bench/parse_bench.c (one
# arena reset per file); best of RUNS (default 3) alternating runs.
# Prints both MB/s, the ratio (target: leakhound >= 4x go/parser), and
# each side's peak RSS, and leakhound's peak RSS after N, 2N, ... parsed
# files (ROUNDS passes, default 3), which stays flat when the per-file arena
# reset works. A benchmark, not a test: nothing is asserted.
# PARSE_BENCH_SHOW_REJECTED=1 lists the files leakhound rejects (first pass);
# both sides should report the same count.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(realpath -m "${1:-$src/build}")
rounds=${ROUNDS:-3}

work=$build/parse-bench
mkdir -p "$work"
. "$src/bench/lib.sh"
{
    [ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build" --target parse_bench -j2
} > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; echo "parse_bench: build failed" >&2; exit 1; }
export GOCACHE=$build/go-cache GOPATH=$build/go-path GOFLAGS=-mod=mod GOPROXY=off
(cd "$src/tests/goast" && go build -o "$work/goast" .)

goroot=$(go env GOROOT)
find -L "$goroot/src" -name '*.go' -type f | LC_ALL=C sort > "$work/src.list"

echo "parse_bench: $(wc -l < "$work/src.list") files of $goroot/src ($(go version | cut -d' ' -f3)), $(load)"
# The machine is shared: the sides alternate, RUNS times each (2 rounds per
# run, files loaded once per run), so that load changes hit both alike; the
# best run of each side counts.
mbs() { sed -n 's/.*MB\/s=\([0-9.]*\).*/\1/p' | head -1; }
best_go="" best_lh="" go_mbs=0 lh_mbs=0 ratios="" go_rss=0 lh_rss=0
for i in $(seq "${RUNS:-3}"); do
    measure "$work/go.out" "$work/goast" -bench -rounds 2 -list "$work/src.list"
    [ "$M_RC" = 0 ] || { cat "$work/go.out.err" >&2; exit 1; }
    g=$(cat "$work/go.out") go_rss=$((M_RSS > go_rss ? M_RSS : go_rss))
    measure "$work/lh.out" "$build/parse_bench" "$work/src.list" 2
    [ "$M_RC" = 0 ] || { cat "$work/lh.out.err" >&2; exit 1; }
    l=$(cat "$work/lh.out") lh_rss=$((M_RSS > lh_rss ? M_RSS : lh_rss))
    r=$(awk -v g="$(echo "$g" | mbs)" -v l="$(echo "$l" | mbs)" 'BEGIN { printf "%.2f", l / g }')
    ratios="$ratios $r"
    echo "  run $i: go/parser $(echo "$g" | mbs) MB/s, leakhound $(echo "$l" | mbs) MB/s, ratio ${r}x"
    if awk -v a="$(echo "$g" | mbs)" -v b="$go_mbs" 'BEGIN { exit !(a > b) }'; then
        best_go=$g go_mbs=$(echo "$g" | mbs)
    fi
    if awk -v a="$(echo "$l" | mbs)" -v b="$lh_mbs" 'BEGIN { exit !(a > b) }'; then
        best_lh=$l lh_mbs=$(echo "$l" | mbs)
    fi
done
echo "$best_go"
echo "$best_lh" | head -1
# Each run's own ratio pairs the two sides under nearly the same load; its
# median is the steadier figure when the machine is busy.
median=$(echo $ratios | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
awk -v g="$go_mbs" -v l="$lh_mbs" -v m="$median" 'BEGIN {
    printf "ratio: leakhound/go/parser = %.2fx best vs best, %.2fx median of runs (target >= 4x)\n", l / g, m }'
# Both sides hold all the source (~90 MB with Go 1.26) besides the trees.
echo "peak RSS (2 rounds): go/parser $(mib "$go_rss"), leakhound $(mib "$lh_rss"), go/parser/leakhound $(ratio "$go_rss" "$lh_rss")x"

# Memory: one more run of ROUNDS passes; the peak after N, 2N, ... parsed
# files must not grow with the count.
"$build/parse_bench" "$work/src.list" "$rounds" | sed -n 2p
