#!/usr/bin/env bash
# go vet -lostcancel against leakhound scan --enable lost-cancel over
# GOROOT/src (./..., test files included, cgo off), file:line by file:line.
# Prints both sides' findings, the misses (vet reports, we do not), the
# extras (we report, vet does not), and each side's wall time and peak RSS.
# A diagnostic, not a test: it asserts nothing and exits 0 unless a tool
# cannot run.
#
# What is compared: vet's "the cancel function returned by context.X should
# be called, not discarded" (at the blank) and "the NAME function is not used
# on all paths" (at the assignment) lines; its second diagnostic, "this
# return statement may be reached without using...", is at the return and
# has no counterpart (leakhound names the return's line in its message).
# leakhound reports at the call, on the assignment's line unless the
# statement breaks after `:=`.
#
# go vet caches what it computes: it runs with GOCACHE=BUILD_DIR/vet-lostcancel/
# go-cache, kept between runs, so the first run is cold (it compiles all of
# std for export data first: minutes on 2 shared cores) and later ones warm
# (FRESH=1 empties it first). It runs under `timeout $VET_TIMEOUT` (600 s)
# with GOFLAGS=-p=2; a timeout is reported, not hidden, and what it cached
# so far stays: run again (on 2 cores at load 20 a cold vet needed two
# timed-out runs and a third of 690 s; the cache grew steadily throughout,
# it did not hang).
#
#   bash bench/vet_lostcancel.sh [BUILD_DIR]     # default: build
# Outputs stay in BUILD_DIR/vet-lostcancel/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
command -v go >/dev/null || { echo "no go on PATH" >&2; exit 2; }
. "$here/lib.sh"    # measure (GNU time, installed when missing), mib, load

out=$build/vet-lostcancel
mkdir -p "$out"
rm -f "$out"/*.txt "$out"/*.err "$out"/*.lines
[ "${FRESH:-0}" = 1 ] && rm -rf "$out/go-cache"
# "warm" only says the cache was there: a run that timed out leaves it
# partly filled.
cached=cold
[ -d "$out/go-cache" ] && cached=warm
export GOCACHE=$out/go-cache GOFLAGS=-p=2 GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
vet_timeout=${VET_TIMEOUT:-600}
cd "$(go env GOROOT)/src"
echo "GOROOT/src ./... (tests included, cgo off); $(go version | cut -d' ' -f3); $(load)"

# vet prints its diagnostics on stderr, paths relative to the current
# directory (sometimes with ./); a package and its test variant may both
# report a non-test file: sort -u.
measure "$out/vet.txt" timeout "$vet_timeout" go vet -lostcancel ./...
vet_wall=$M_WALL vet_cpu=$M_CPU vet_rss=$M_RSS vet_rc=$M_RC
measure "$out/lh.txt" "$lh" scan --enable lost-cancel ./...
lh_wall=$M_WALL lh_cpu=$M_CPU lh_rss=$M_RSS lh_rc=$M_RC

printf 'go vet -lostcancel ./...               %8.2fs wall %8.2fs cpu %12s peak RSS  exit %s (%s cache)\n' \
    "$vet_wall" "$vet_cpu" "$(mib "$vet_rss")" "$vet_rc" "$cached"
printf 'leakhound scan --enable lost-cancel    %8.2fs wall %8.2fs cpu %12s peak RSS  exit %s\n' \
    "$lh_wall" "$lh_cpu" "$(mib "$lh_rss")" "$lh_rc"
if [ "$vet_rc" = 124 ]; then
    echo "go vet TIMED OUT after ${vet_timeout}s (VET_TIMEOUT): its findings below are partial"
elif [ "$vet_rc" != 0 ] && [ "$vet_rc" != 1 ]; then
    echo "go vet exited $vet_rc; first lines of its output:"
    grep -v '^#' "$out/vet.txt.err" | head -5 | sed 's/^/  /'
fi
if [ "$lh_rc" != 0 ] && [ "$lh_rc" != 1 ]; then
    echo "leakhound exited $lh_rc:"; head -5 "$out/lh.txt.err" | sed 's/^/  /'
fi

cat "$out/vet.txt" "$out/vet.txt.err" | sed 's#^\./##' |
    grep -E '^[^ ]+\.go:[0-9]+:[0-9]+: (the cancel function returned by context\.[A-Za-z]+ should be called|the [A-Za-z_0-9]+ function is not used on all paths)' |
    sort -u >"$out/vet.findings" || true
grep -E '^[^ ]+\.go:[0-9]+:[0-9]+: lost-cancel: ' "$out/lh.txt" | sort -u >"$out/lh.findings" || true
cut -d: -f1,2 "$out/vet.findings" | sort -u >"$out/vet.lines"
cut -d: -f1,2 "$out/lh.findings" | sort -u >"$out/lh.lines"
comm -23 "$out/vet.lines" "$out/lh.lines" >"$out/misses.lines"
comm -13 "$out/vet.lines" "$out/lh.lines" >"$out/extras.lines"

section() { # TITLE FILE
    echo
    echo "$1: $(wc -l <"$2")"
    sed 's/^/  /' "$2"
}
section "go vet lostcancel findings" "$out/vet.findings"
section "leakhound lost-cancel findings" "$out/lh.findings"
echo
echo "same file:line on both sides: $(comm -12 "$out/vet.lines" "$out/lh.lines" | wc -l)"
section "misses (go vet only)" "$out/misses.lines"
echo
echo "extras (leakhound only): $(wc -l <"$out/extras.lines")"
awk -F: 'NR == FNR { x[$0] = 1; next } ($1 ":" $2) in x { print "  " $0 }' \
    "$out/extras.lines" "$out/lh.findings"
