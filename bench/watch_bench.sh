#!/usr/bin/env bash
# leakhound watch on a real leaking service: tests/goleaks' unclosed-body
# service (seed 004; every allocation sampled, so profiles are as big as
# they get for it) watched for 20 snapshots with --save, then the saved
# watch re-analysed with --load. The peer is the by-hand version of the
# same verdict: `go tool pprof -top` on each of the 20 heap profiles (what
# a person runs before any comparing). Prints CPU time (user + sys), wall
# time and peak RSS of each, and the ratios. Asserts nothing.
#
#   bash bench/watch_bench.sh [BUILD_DIR]    # default build; RUNS=3 for --load
# About 30 seconds on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
runs=${RUNS:-3}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
. "$here/lib.sh"
LH_BUILD=$build bash "$here/../tests/goleaks/gen.sh"
export GOCACHE=$build/goleaks/go-cache GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
tmp=$(mktemp -d)
svc=""
trap '[ -n "$svc" ] && kill "$svc" 2>/dev/null; rm -rf "$tmp"' EXIT
"$build/goleaks/bin/goleaks" -leak=body -serve=120s -interval=1s -addrfile="$tmp/addr" 2>"$tmp/svc.err" &
svc=$!
for _ in $(seq 100); do [ -s "$tmp/addr" ] && break; sleep 0.1; done
[ -s "$tmp/addr" ] || { echo "watch_bench: the service did not start" >&2; exit 1; }

echo "watch_bench: $(load)"
# 20 snapshots or so: the first at once, then every 500 ms for 10 s.
measure "$tmp/live" "$lh" watch "$(cat "$tmp/addr")" --every 500ms --for 10s --quiet --save "$tmp/saved"
live_wall=$M_WALL live_cpu=$M_CPU live_rss=$M_RSS
n=$(ls "$tmp/saved"/heap.*.pb.gz | wc -l)
bytes=$(du -sb "$tmp/saved" | cut -f1)
verdict=$(sed -n 's/^ *1\. *\([a-z-]*\) *\([^ ]*\) .*/\1 \2/p' "$tmp/live" | head -1)
kill "$svc"
svc=""

best_of "$runs" "$tmp/load" "$lh" watch --load "$tmp/saved"
load_wall=$B_WALL load_cpu=$B_CPU load_rss=$B_RSS

cat >"$tmp/pprof.sh" <<'EOF'
for f in "$@"; do go tool pprof -top -sample_index=inuse_space "$f" >/dev/null 2>&1; done
EOF
best_of 1 "$tmp/pprof" bash "$tmp/pprof.sh" "$tmp/saved"/heap.*.pb.gz
pp_wall=$B_WALL pp_cpu=$B_CPU pp_rss=$B_RSS

echo "saved: $n snapshots, $((bytes / 1024)) KiB; first suspect: $verdict"
printf '%-44s %8s %8s %12s\n' "" "cpu s" "wall s" "peak RSS"
printf '%-44s %8s %8s %12s\n' "leakhound watch (live, $n snapshots, --save)" "$live_cpu" "$live_wall" "$(mib "$live_rss")"
printf '%-44s %8s %8s %12s\n' "leakhound watch --load (best of $runs)" "$load_cpu" "$load_wall" "$(mib "$load_rss")"
printf '%-44s %8s %8s %12s\n' "go tool pprof -top x $n heap profiles" "$pp_cpu" "$pp_wall" "$(mib "$pp_rss")"
echo "ratio pprof/--load: cpu $(ratio "$pp_cpu" "$load_cpu"), wall $(ratio "$pp_wall" "$load_wall")," \
    "peak RSS $(ratio "$pp_rss" "$load_rss")"
