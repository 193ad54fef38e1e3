#!/usr/bin/env bash
# Load on the fleet daemon: N targets (default 200) on loopback, served by
# one fixture process (tests/fleet/fixture: N ports answering as
# net/http/pprof with recorded profiles -- a heap series that grows, a
# goroutine dump), watched by `leakhound watch --listen`.
#
# Two runs:
#   1. the production shape: --every 15s for DURATION (default 90 s);
#      prints leakhound's CPU as a share of one core, CPU time per target
#      per poll, peak RSS and /metrics latency;
#   2. windows filled: FILL_N targets (default 20) polled every 100ms with
#      --window 240 until every one holds 240 snapshots (what a 15 s
#      interval reaches after an hour; at most FILL_S s, default 300), then
#      the same figures. Memory per target is bounded by the window, so
#      (peak RSS - a daemon's without targets) / FILL_N is what one target
#      at full window costs; the script prints that extrapolated to N.
# Targets of the issue: 200 targets at 15 s under one core and 500 MB.
#
#   bash bench/fleet_load.sh [N] [DURATION_S]
# Needs: a build (build/leakhound), go (for the fixture), curl.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LH=${LH:-$here/build/leakhound}
N=${1:-200}
DUR=${2:-90}
[ -x "$LH" ] || { echo "bench: build leakhound first ($LH)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/lh-fleetload.XXXXXX")
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT

export GOCACHE=${GOCACHE:-$here/build/goleaks/go-cache} GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
(cd "$here/tests/fleet" && go build -o "$T/fixture" ./fixture)
"$T/fixture" -n "$N" -heap "$here/examples/profiles/cache/heap.*.pb.gz" \
    -goroutine "$here/examples/profiles/blocked/goroutine.7.debug2.txt" \
    -goroutine-pb "$here/tests/testdata/profiles/goroutine.pb.gz" -addrs "$T/addrs" 2>"$T/fixture.err" &
pids+=($!)
for ((i = 0; i < 200; i++)); do [ -s "$T/addrs" ] && break; sleep 0.1; done
[ -s "$T/addrs" ] || { echo "bench: fixture did not start: $(cat "$T/fixture.err")" >&2; exit 1; }
python3 - "$T/addrs" >"$T/targets.json" <<'EOF'
import json, sys
addrs = [l.strip() for l in open(sys.argv[1]) if l.strip()]
# Ten groups of N/10, as a team would label its services.
groups = [{"targets": addrs[i::10], "labels": {"group": "svc%d" % i, "env": "bench"}}
          for i in range(10)]
print(json.dumps(groups, indent=1))
EOF

ticks=$(getconf CLK_TCK)
cpu_s() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }

# run LABEL TARGETS_FILE NTARGETS DURATION FULL ARGS...: one daemon run;
# prints its line. With FULL > 0 the run ends early once every target holds
# FULL snapshots. Sets R_RSS (MB).
run() {
    local label=$1 tfile=$2 n=$3 dur=$4 full=$5
    shift 5
    "$LH" watch --listen 127.0.0.1:0 --targets "$tfile" "$@" 2>"$T/lh.err" &
    local pid=$! addr=""
    for ((i = 0; i < 100; i++)); do
        addr=$(sed -n 's|.*serving http://\([^/]*\)/.*|\1|p' "$T/lh.err" 2>/dev/null)
        [ -n "$addr" ] && break
        sleep 0.1
    done
    [ -n "$addr" ] || { echo "bench: leakhound did not start: $(cat "$T/lh.err")" >&2; kill "$pid"; return 1; }
    local start=$SECONDS minsnap=0 maxsnap=0
    : >"$T/lat"
    # /metrics latency, sampled through the run as Prometheus would scrape.
    while ((SECONDS - start < dur)); do
        curl -s -o "$T/metrics" -w '%{time_total}\n' "http://$addr/metrics" >>"$T/lat"
        read -r minsnap maxsnap < <(awk '/^leakhound_snapshots\{/ { v = $NF + 0; if (!n++ || v < lo) lo = v; if (v > hi) hi = v } END { print lo + 0, hi + 0 }' "$T/metrics")
        ((full > 0 && minsnap >= full)) && break
        sleep 1
    done
    local cpu wall polls errs lines
    cpu=$(cpu_s "$pid")
    wall=$((SECONDS - start))
    R_RSS=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    polls=$(awk '/^leakhound_polls_total\{/ { s += $NF } END { print s + 0 }' "$T/metrics")
    errs=$(awk '/^leakhound_poll_errors_total\{/ { s += $NF } END { print s + 0 }' "$T/metrics")
    lines=$(wc -l <"$T/metrics")
    kill -TERM "$pid"
    wait "$pid" || true
    sort -n "$T/lat" | awk -v label="$label" -v n="$n" -v cpu="$cpu" -v wall="$wall" -v polls="$polls" \
        -v errs="$errs" -v rss="$R_RSS" -v lines="$lines" -v lo="$minsnap" -v hi="$maxsnap" '
        { v[NR] = $1 }
        END {
            printf "%s: %d targets, %d s: cpu %.2f s = %.1f%% of one core; %.2f ms cpu per target per poll (%d polls, %d errors); snapshots per target %d..%d; peak RSS %d MB; /metrics (%d lines) median %.1f ms, max %.1f ms\n",
                label, n, wall, cpu, 100 * cpu / wall, polls ? 1000 * cpu / polls : 0, polls, errs, lo, hi, rss, lines,
                1000 * v[int((NR + 1) / 2)], 1000 * v[NR]
        }'
}

echo "bench/fleet_load.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "every 15s" "$T/targets.json" "$N" "$DUR" 0 --every 15s
echo '[]' >"$T/empty.json"
run "no targets" "$T/empty.json" 0 3 0 --every 15s >/dev/null
empty=$R_RSS
FILL_N=${FILL_N:-20}
python3 - "$T/addrs" "$FILL_N" >"$T/fill.json" <<'EOF'
import json, sys
addrs = [l.strip() for l in open(sys.argv[1]) if l.strip()][:int(sys.argv[2])]
print(json.dumps([{"targets": addrs, "labels": {"group": "fill"}}]))
EOF
run "windows filled (every 100ms, --window 240)" "$T/fill.json" "$FILL_N" "${FILL_S:-300}" 240 \
    --every 100ms --timeout 5s --window 240
awk -v empty="$empty" -v full="$R_RSS" -v k="$FILL_N" -v n="$N" 'BEGIN {
    per = (full - empty) / k
    printf "extrapolated: %d targets at full window ~ %d MB (a daemon without targets %d MB, + %.2f MB per target at full window)\n", n, empty + per * n, empty, per
}'
