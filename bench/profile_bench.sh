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

# best_of NAME CMD... : runs CMD $runs times (stdout to $T/NAME.out) and
# echoes "WALL CPU", the best wall-clock and best user+sys seconds. CPU time
# is printed too because the machine is shared: wall time includes waiting.
best_of() {
    local name=$1 bw= bc= w c
    shift
    for ((i = 0; i < runs; i++)); do
        { TIMEFORMAT='%R %U %S'; time "$@" >"$T/$name.out" 2>"$T/$name.err"; } 2>"$T/$name.time" ||
            { echo "profile_bench: $* failed: $(head -c 300 "$T/$name.err")" >&2; exit 1; }
        read -r w u s <"$T/$name.time"
        c=$(echo "$u + $s" | bc -l)
        if [ -z "$bw" ] || [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
        if [ -z "$bc" ] || [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
    done
    echo "$bw $bc"
}

report() {
    local what=$1 lw lc pw pc
    read -r lw lc <<<"$2"
    read -r pw pc <<<"$3"
    printf '%-5s wall: leakhound %7.3fs  go tool pprof %7.3fs  ratio %6.1fx | cpu: leakhound %6.3fs  pprof %7.3fs  ratio %6.1fx\n' \
        "$what" "$lw" "$pw" "$(echo "$pw / $lw" | bc -l)" "$lc" "$pc" "$(echo "$pc / ($lc + 0.0005)" | bc -l)"
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
