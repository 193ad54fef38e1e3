#!/usr/bin/env bash
# leakhound scan over GOROOT/src (./..., test files included) next to the
# source checkers it is measured against, in one run: go vet (its default
# analyzers) of the Go on PATH, staticcheck and bodyclose at the versions of
# bench/peers.env (bash bench/install_peers.sh installs them). Prints each
# side's wall and CPU time and peak RSS, the ratio of each peer to leakhound
# scan, and what each one found, with lost-cancel compared to go vet's
# lostcancel file:line by file:line. Asserts nothing.
#
# leakhound keeps no cache: every run does all the work. go vet and
# staticcheck cache what they compute (GOCACHE, STATICCHECK_CACHE), so each
# peer runs PEER_RUNS times from an empty cache of its own: the first run is
# "cold" (for go vet that includes compiling all of std for export data), the
# best of the others "warm" (nothing changed: mostly cache hits). bodyclose
# (go/packages, everything type-checked from source) keeps none either, so it
# runs once.
# SQLCLOSECHECK=1 adds sqlclosecheck the same way. COLD=0 keeps the caches
# of the previous run (BUILD_DIR/scan-bench/*-cache), so that the first run
# is warm too: seconds instead of tens of minutes for go vet and staticcheck.
#
# leakhound scan does much less than the peers: it parses and runs its two
# rules on the syntax trees, with no type checking; the peers type-check all
# of std and run dozens of analyzers. The ratios say what the answer costs, not who is better.
#
# PATTERN=./net/... (default ./...) measures everyone on a part of
# GOROOT/src instead: a cold staticcheck over all of std ran past 25
# minutes on a loaded machine. leakhound scan is measured again after the
# peers, so a change of load during the run shows as two different lines.
#
#   bash bench/scan_bench.sh [BUILD_DIR]    # default build; RUNS=5 PEER_RUNS=2 COLD=1
# The cold runs dominate: go vet's alone is ~580 s of CPU (20 minutes of wall
# time on 2 cores at load 17). Every output is kept in BUILD_DIR/scan-bench/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
runs=${RUNS:-5}
pattern=${PATTERN:-./...}
peer_runs=${PEER_RUNS:-2}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
. "$here/lib.sh"
. "$here/peers.env"
for p in staticcheck bodyclose; do
    [ -x "$PEERS_BIN/$p" ] || { echo "no $PEERS_BIN/$p: run bash bench/install_peers.sh" >&2; exit 2; }
done
out=$build/scan-bench
cold=${COLD:-1}
mkdir -p "$out"
find "$out" -maxdepth 1 -type f -delete
# Go and staticcheck caches of this benchmark's own, emptied before each
# peer's first run unless COLD=0; GOPROXY=off: GOROOT/src needs no module.
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE=$out/go-cache STATICCHECK_CACHE=$out/staticcheck-cache
cd "$(go env GOROOT)/src"

files=$("$lh" list -test --format line "$pattern" | tr ' ' '\n' | grep -c '\.go$' || true)
echo "GOROOT/src $pattern (tests included, cgo off): $files files; $(go version | cut -d' ' -f3); $(load)"
echo "wall and cpu: best of the runs; rss: peak resident set size of the largest process"

# line NAME WALL CPU RSS [RATIO-TO]: one result line; the ratio is to
# leakhound scan's wall, cpu and rss.
line() {
    printf '%-26s %8.2fs wall %8.2fs cpu %11s' "$1" "$2" "$3" "$(mib "$4")"
    [ -z "${5:-}" ] || printf '   %7sx wall %7sx cpu %6sx rss' \
        "$(ratio "$2" "$s_wall")" "$(ratio "$3" "$s_cpu")" "$(ratio "$4" "$s_rss")"
    echo
}

"$lh" scan "$pattern" >/dev/null 2>&1 || true   # warm the page cache
best_of "$runs" "$out/list.txt" "$lh" list -test --format line "$pattern"
l_wall=$B_WALL l_cpu=$B_CPU l_rss=$B_RSS
best_of "$runs" "$out/leakhound.txt" "$lh" scan "$pattern"
s_wall=$B_WALL s_cpu=$B_CPU s_rss=$B_RSS
best_of "$runs" "$out/leakhound-j1.txt" "$lh" scan -j 1 "$pattern"
s1_wall=$B_WALL s1_cpu=$B_CPU s1_rss=$B_RSS
echo "leakhound (best of $runs):"
line "  list -test" "$l_wall" "$l_cpu" "$l_rss"
line "  scan" "$s_wall" "$s_cpu" "$s_rss"
line "  scan -j 1" "$s1_wall" "$s1_cpu" "$s1_rss"
printf '  %.0f files/s; scan/list %.2fx wall (what the rules cost on top of loading and parsing)\n' \
    "$(awk -v f="$files" -v s="$s_wall" 'BEGIN { print f / s }')" "$(ratio "$s_wall" "$l_wall")"

# peer NAME CACHE-DIR CMD...: PEER_RUNS runs from an empty CACHE-DIR, the
# cold and the best warm line; CACHE-DIR none: the peer keeps no cache, so
# one run (minutes each) is all there is to see.
peer() {
    local name=$1 cache=$2
    shift 2
    local first=cold
    if [ "$cache" = none ]; then first="one run, no cache"
    elif [ "$cold" = 1 ]; then rm -rf "$cache"
    else first="first, cache kept"; fi
    measure "$out/$name.txt" "$@"
    echo "$name (exit $M_RC; load $(cut -d' ' -f1 /proc/loadavg) after the first run):"
    line "  $first" "$M_WALL" "$M_CPU" "$M_RSS" ratio
    if [ "$cache" != none ] && [ "$peer_runs" -gt 1 ]; then
        best_of $((peer_runs - 1)) "$out/$name.warm.txt" "$@"
        line "  warm (best of $((peer_runs - 1)))" "$B_WALL" "$B_CPU" "$B_RSS" ratio
    fi
}
echo "peers (ratios: peer / leakhound scan):"
peer go-vet "$GOCACHE" go vet "$pattern"
peer staticcheck "$STATICCHECK_CACHE" "$PEERS_BIN/staticcheck" "$pattern"
peer bodyclose none "$PEERS_BIN/bodyclose" "$pattern"
if [ "${SQLCLOSECHECK:-0}" = 1 ]; then
    peer sqlclosecheck none "$PEERS_BIN/sqlclosecheck" "$pattern"
fi
best_of "$runs" "$out/leakhound-after.txt" "$lh" scan "$pattern"
echo "leakhound again, after the peers (best of $runs; load $(cut -d' ' -f1 /proc/loadavg)):"
line "  scan" "$B_WALL" "$B_CPU" "$B_RSS" ratio

# Findings. Every tool prints file:line:col: message; go vet on stderr, the
# singlecheckers and staticcheck on stdout. Paths are made relative to src/.
pos() { cat "$@" | sed -n "s|^$PWD/||; s|^\./||; /^[^ #]*\.go:[0-9]*:[0-9]*: /p"; }
echo "findings:"
echo "  leakhound: $(pos "$out/leakhound.txt" | wc -l) ($(grep -c '_test\.go:' "$out/leakhound.txt" || true) in _test.go files)"
awk -F': ' '{ print $2 }' "$out/leakhound.txt" | sort | uniq -c | sed 's/^/    /'
echo "  go vet: $(pos "$out/go-vet.txt" "$out/go-vet.txt.err" | wc -l)"
echo "  staticcheck: $(pos "$out/staticcheck.txt" | wc -l); the most frequent checks and the leak-related ones (SA1015 time.Tick, SA2000-2003 sync and goroutines, SA9001 defer in range over a channel):"
pos "$out/staticcheck.txt" | sed -n 's/.*(\([A-Z]*[0-9]*\))$/\1/p' | sort | uniq -c | sort -rn >"$out/staticcheck.codes"
{ head -8 "$out/staticcheck.codes"; grep -E ' (SA1015|SA200[0-3]|SA9001)$' "$out/staticcheck.codes" || true; } |
    sort -rn | uniq | awk '{ printf "    %5d %s\n", $1, $2 }'
echo "  bodyclose: $(pos "$out/bodyclose.txt" | wc -l)"
pos "$out/bodyclose.txt" | head -10 | sed 's/^/    /' || true
if [ "${SQLCLOSECHECK:-0}" = 1 ]; then
    echo "  sqlclosecheck: $(pos "$out/sqlclosecheck.txt" | wc -l)"
    pos "$out/sqlclosecheck.txt" | head -10 | sed 's/^/    /' || true
fi

# lost-cancel against go vet's lostcancel, by file:line.
pos "$out/go-vet.txt" "$out/go-vet.txt.err" | { grep 'cancel function' || true; } | cut -d: -f1,2 | sort -u >"$out/vet.lostcancel"
grep ': lost-cancel: ' "$out/leakhound.txt" | cut -d: -f1,2 | sort -u >"$out/lh.lostcancel" || true
echo "lost-cancel vs go vet lostcancel (file:line): go vet $(wc -l <"$out/vet.lostcancel")," \
    "leakhound $(wc -l <"$out/lh.lostcancel"), both $(comm -12 "$out/vet.lostcancel" "$out/lh.lostcancel" | wc -l)"
comm -23 "$out/vet.lostcancel" "$out/lh.lostcancel" | head -10 | sed 's/^/  only go vet:    /' || true
comm -13 "$out/vet.lostcancel" "$out/lh.lostcancel" | head -10 | sed 's/^/  only leakhound: /' || true
echo "outputs in $out"
