#!/usr/bin/env bash
# leakhound top/diff against `go tool pprof -top` on a large generated heap
# profile (bench/gen_heap_profile.go; 200,000 samples by default), in one
# run: prints both wall-clock times (best of N runs), the ratio, and whether
# the two agree on the heaviest entry. Not a test: timings depend on the
# machine and its load.
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

T=$(mktemp -d "${TMPDIR:-/tmp}/lh-pbench.XXXXXX")
trap 'rm -rf "$T"' EXIT
export GOCACHE=$build/bench-go-cache GOPATH=$build/bench-go-path GO111MODULE=off GOFLAGS=
go build -o "$T/gen" "$here/bench/gen_heap_profile.go"
"$T/gen" -o "$T/base.pb.gz" -samples "$samples" -seed 1
"$T/gen" -o "$T/new.pb.gz" -samples "$samples" -seed 2
echo "profile: $samples samples, $(du -k "$T/new.pb.gz" | cut -f1) KiB gzipped"

now() { date +%s.%N; }
# best_of NAME CMD... : runs CMD $runs times (stdout to $T/NAME.out), echoes the best seconds
best_of() {
    local name=$1 best= t0 t1 d
    shift
    for ((i = 0; i < runs; i++)); do
        t0=$(now)
        "$@" >"$T/$name.out" 2>"$T/$name.err" || { echo "profile_bench: $* failed: $(head -c 300 "$T/$name.err")" >&2; exit 1; }
        t1=$(now)
        d=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$d < $best" | bc -l)" = 1 ]; then best=$d; fi
    done
    printf '%.3f' "$best"
}

report() {
    local what=$1 lh=$2 pp=$3
    printf '%-6s leakhound %7.3fs   go tool pprof %7.3fs   ratio %6.1fx\n' "$what" "$lh" "$pp" \
        "$(echo "$pp / $lh" | bc -l)"
}

lt=$(best_of lh_top "$LH" top "$T/new.pb.gz" -n 20)
pt=$(best_of pp_top go tool pprof -top -nodecount=20 "$T/new.pb.gz")
report top "$lt" "$pt"
ld=$(best_of lh_diff "$LH" diff "$T/base.pb.gz" "$T/new.pb.gz" -n 20)
pd=$(best_of pp_diff go tool pprof -top -nodecount=20 -base "$T/base.pb.gz" "$T/new.pb.gz")
report diff "$ld" "$pd"

"$LH" top "$T/new.pb.gz" -n 1 --format json >"$T/lh.json"
go tool pprof -top -unit=B -nodefraction=0 -nodecount=1 "$T/new.pb.gz" 2>/dev/null >"$T/pp.txt"
echo "heaviest entry: leakhound $(sed -n 's/.*"entries":\[{"function":"\([^"]*\)".*"flat":\([0-9-]*\),.*/\1 \2B/p' <(tr -d '\n' <"$T/lh.json"))" \
     "/ pprof $(awk '/ flat%/ { getline; print $6, $1; exit }' "$T/pp.txt")"
