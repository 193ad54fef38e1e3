#!/usr/bin/env bash
# leakhound top/diff against `go tool pprof -top` on a large generated heap
# profile (bench/gen_heap_profile.go; 200,000 samples by default), in one
# run: prints both sides' wall-clock and CPU times (best of N runs) and peak
# RSS, the ratios, and whether the two agree on the heaviest entry. The peer
# is the pprof of the Go on PATH. Not a test: timings depend on the machine
# and its load.
#
#   bash bench/profile_bench.sh [BUILD_DIR] [SAMPLES] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
samples=${2:-200000}
runs=${3:-3}
LH=$build/leakhound
[ -x "$LH" ] || { echo "profile_bench: no $LH; build first (cmake --build $build)" >&2; exit 2; }
command -v go >/dev/null || { echo "profile_bench: needs go (go tool pprof)" >&2; exit 2; }
. "$here/bench/lib.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/lh-pbench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export GOCACHE=$build/bench-go-cache GOPATH=$build/bench-go-path GO111MODULE=off GOFLAGS=
go build -o "$T/gen" "$here/bench/gen_heap_profile.go"
"$T/gen" -o "$T/base.pb.gz" -samples "$samples" -seed 1
"$T/gen" -o "$T/new.pb.gz" -samples "$samples" -seed 2
echo "profile: $samples samples, $(du -k "$T/new.pb.gz" | cut -f1) KiB gzipped; $(go version | cut -d' ' -f3)"

# Go 1.26 ships no prebuilt pprof binary (pkg/tool holds the build tools): the go command
# builds it into GOCACHE on first use. One untimed run keeps that out of the times.
go tool pprof -top -nodecount=1 "$T/new.pb.gz" >/dev/null 2>&1

# report WHAT: one line from the lh_* and pp_* results of best_of.
report() {
    printf '%-5s leakhound %7.3fs wall %6.2fs cpu %9s | go tool pprof %7.3fs wall %6.2fs cpu %9s | pprof/leakhound: wall %5.1fx cpu %5.1fx rss %5.1fx\n' \
        "$1" "$lh_wall" "$lh_cpu" "$(mib "$lh_rss")" "$pp_wall" "$pp_cpu" "$(mib "$pp_rss")" \
        "$(ratio "$pp_wall" "$lh_wall")" "$(ratio "$pp_cpu" "$lh_cpu")" "$(ratio "$pp_rss" "$lh_rss")"
}
run() {  # run VAR_PREFIX CMD...: best of $runs into ${VAR_PREFIX}_{wall,cpu,rss}
    local v=$1
    shift
    best_of "$runs" "$T/$v.out" "$@"
    [ "$B_RC" = 0 ] || { echo "profile_bench: $* failed: $(head -c 300 "$T/$v.out.err")" >&2; exit 1; }
    printf -v "${v}_wall" %s "$B_WALL"; printf -v "${v}_cpu" %s "$B_CPU"; printf -v "${v}_rss" %s "$B_RSS"
}

echo "best of $runs runs each; rss = peak resident set size; $(load)"
run lh "$LH" top "$T/new.pb.gz" -n 20
run pp go tool pprof -top -nodecount=20 "$T/new.pb.gz"
report top
run lh "$LH" diff "$T/base.pb.gz" "$T/new.pb.gz" -n 20
run pp go tool pprof -top -nodecount=20 -base "$T/base.pb.gz" "$T/new.pb.gz"
report diff

"$LH" top "$T/new.pb.gz" -n 1 --format json >"$T/lh.json"
go tool pprof -top -unit=B -nodefraction=0 -nodecount=1 "$T/new.pb.gz" 2>/dev/null >"$T/pp.txt"
echo "heaviest entry: leakhound $(sed -n 's/.*"entries":\[{"function":"\([^"]*\)".*"flat":\([0-9-]*\),.*/\1 \2B/p' <(tr -d '\n' <"$T/lh.json"))" \
     "/ pprof $(awk '/ flat%/ { getline; print $6, $1; exit }' "$T/pp.txt")"
