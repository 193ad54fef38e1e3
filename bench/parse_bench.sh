#!/usr/bin/env bash
# Parser speed: leakhound vs go/parser over every .go file of GOROOT/src.
#
#   bash bench/parse_bench.sh [BUILD_DIR]      (default: build)
#
# Both sides read all files into memory first and then parse them on one
# thread, best of ROUNDS (default 3) rounds, with the same mode (comments
# kept, no object resolution): go/parser through tests/goast -bench,
# leakhound through bench/parse_bench.c (one arena reset per file).
# Prints both MB/s, the ratio (target: leakhound >= 4x go/parser), and
# leakhound's peak RSS after N, 2N, 3N parsed files, which stays flat when
# the per-file arena reset works. A benchmark, not a test: nothing is asserted.
# PARSE_BENCH_SHOW_REJECTED=1 lists the files leakhound rejects (first pass);
# both sides should report the same count.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(realpath -m "${1:-$src/build}")
rounds=${ROUNDS:-3}

work=$build/parse-bench
mkdir -p "$work"
{
    [ -f "$build/CMakeCache.txt" ] || cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build" --target parse_bench -j2
} > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; echo "parse_bench: build failed" >&2; exit 1; }
export GOCACHE=$build/go-cache GOPATH=$build/go-path GOFLAGS=-mod=mod GOPROXY=off
(cd "$src/tests/goast" && go build -o "$work/goast" .)

goroot=$(go env GOROOT)
find -L "$goroot/src" -name '*.go' -type f | LC_ALL=C sort > "$work/src.list"

echo "parse_bench: $(wc -l < "$work/src.list") files of $goroot/src ($(go version | cut -d' ' -f3)), best of $rounds rounds, $(nproc) cores"
go_line=$("$work/goast" -bench -rounds "$rounds" -list "$work/src.list")
lh_out=$("$build/parse_bench" "$work/src.list" "$rounds")
echo "$go_line"
echo "$lh_out"

mbs() { sed -n 's/.*MB\/s=\([0-9.]*\).*/\1/p' | head -1; }
go_mbs=$(echo "$go_line" | mbs)
lh_mbs=$(echo "$lh_out" | mbs)
awk -v g="$go_mbs" -v l="$lh_mbs" 'BEGIN {
    printf "ratio: leakhound/go/parser = %.2fx (target >= 4x)\n", l / g }'
