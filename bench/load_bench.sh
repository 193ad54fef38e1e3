#!/usr/bin/env bash
# leakhound list vs go list (of the Go on PATH) over GOROOT/src (./..., with
# -test): wall and CPU time, best of RUNS alternating runs, peak RSS, and the
# ratios. Asserts nothing.
#
# The two do not do the same work: go list reads file headers (package
# clause, imports, build constraints) and, when warm, answers from its
# cache; leakhound list also parses every listed file completely (the ASTs
# scan will use). -j 1 vs the default shows what the thread pool gives.
#
#   bash bench/load_bench.sh [BUILD_DIR]    # default build; RUNS=5
# About a minute on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
runs=${RUNS:-5}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
. "$here/lib.sh"
export GOCACHE=$build/go-cache GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 GOTOOLCHAIN=local
cd "$(go env GOROOT)/src"
fmt='{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles " "}}'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go list -test -f "$fmt" ./... >/dev/null    # warm go's cache and the page cache
# Alternate the three, so that load changes on the shared machine hit all alike.
g_wall="" l_wall="" l1_wall="" g_cpu="" l_cpu="" l1_cpu="" g_rss=0 l_rss=0 l1_rss=0
keep() {  # keep PREFIX: fold the last measure into PREFIX_{wall,cpu,rss}
    local w=${1}_wall c=${1}_cpu r=${1}_rss
    [ "$M_RC" = 0 ] || { echo "load_bench: failed: $(head -c 300 "$tmp/out.err")" >&2; exit 1; }
    if [ -z "${!w}" ] || awk -v a="$M_WALL" -v b="${!w}" 'BEGIN { exit !(a < b) }'; then printf -v "$w" %s "$M_WALL"; fi
    if [ -z "${!c}" ] || awk -v a="$M_CPU" -v b="${!c}" 'BEGIN { exit !(a < b) }'; then printf -v "$c" %s "$M_CPU"; fi
    if [ "$M_RSS" -gt "${!r}" ]; then printf -v "$r" %s "$M_RSS"; fi
}
for _ in $(seq "$runs"); do
    measure "$tmp/out" go list -test -f "$fmt" ./...; keep g
    measure "$tmp/out" "$lh" list -test --format line ./...; keep l
    measure "$tmp/out" "$lh" list -test -j 1 --format line ./...; keep l1
done
files=$("$lh" list -test --format line ./... | tr ' ' '\n' | grep -c '\.go$' || true)
echo "GOROOT/src ./... -test: $files files listed; $(go version | cut -d' ' -f3); $(load)"
echo "best of $runs runs; rss: peak resident set size"
printf '%-20s %7.3fs wall %6.2fs cpu %10s\n' "go list (warm)" "$g_wall" "$g_cpu" "$(mib "$g_rss")"
printf '%-20s %7.3fs wall %6.2fs cpu %10s   go/leakhound: %sx wall, %sx cpu, %sx rss\n' "leakhound list" \
    "$l_wall" "$l_cpu" "$(mib "$l_rss")" "$(ratio "$g_wall" "$l_wall")" "$(ratio "$g_cpu" "$l_cpu")" "$(ratio "$g_rss" "$l_rss")"
printf '%-20s %7.3fs wall %6.2fs cpu %10s   -j 1/default: %sx wall\n' "leakhound list -j 1" \
    "$l1_wall" "$l1_cpu" "$(mib "$l1_rss")" "$(ratio "$l1_wall" "$l_wall")"
