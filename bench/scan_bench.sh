#!/usr/bin/env bash
# leakhound scan over GOROOT/src (./..., test files included): wall time,
# best of RUNS, files per second, and what the rules cost on top of loading
# and parsing (leakhound list -test, the same files parsed). Prints the
# findings per rule. Asserts nothing.
#
# VET=1 also times `go vet -lostcancel ./...` once (type-checks all of std:
# minutes on two cores) and prints its findings next to lost-cancel's.
#
#   bash bench/scan_bench.sh [BUILD_DIR]    # default build; RUNS=5
set -euo pipefail
build=${1:-build}
lh=$(cd "$build" && pwd)/leakhound
runs=${RUNS:-5}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
export GOCACHE=$(cd "$build" && pwd)/go-cache GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0
cd "$(go env GOROOT)/src"
best() { sort -n | head -1; }
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk "BEGIN{print $e - $s}"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$lh" scan ./... >"$tmp/findings" 2>/dev/null || true   # warm the page cache
for _ in $(seq "$runs"); do
    t "$lh" list -test --format line ./... >>"$tmp/list"
    t "$lh" scan ./... >>"$tmp/scan"
    t "$lh" scan -j 1 ./... >>"$tmp/scan1"
done
l=$(best <"$tmp/list"); s=$(best <"$tmp/scan"); s1=$(best <"$tmp/scan1")
files=$("$lh" list -test --format line ./... | tr ' ' '\n' | grep -c '\.go$' || true)
echo "GOROOT/src ./... (tests included): $files files, load average $(cut -d' ' -f1 /proc/loadavg), $(nproc) cores"
printf 'leakhound list -test:   %.3f s\n' "$l"
printf 'leakhound scan:         %.3f s  (%.0f files/s; scan/list %.2fx)\n' "$s" \
    "$(awk "BEGIN{print $files / $s}")" "$(awk "BEGIN{print $s / $l}")"
printf 'leakhound scan -j 1:    %.3f s  (%.0f files/s)\n' "$s1" "$(awk "BEGIN{print $files / $s1}")"
echo "findings:"
awk -F': ' '{print $2}' "$tmp/findings" | sort | uniq -c
echo "  of which in _test.go files: $(grep -c '_test\.go:' "$tmp/findings" || true)"
if [ "${VET:-0}" = 1 ]; then
    s=$(date +%s.%N)
    go vet -lostcancel ./... >"$tmp/vet" 2>&1 || true
    e=$(date +%s.%N)
    printf 'go vet -lostcancel:     %.1f s, %s findings (leakhound lost-cancel: %s)\n' \
        "$(awk "BEGIN{print $e - $s}")" "$(grep -c 'cancel' "$tmp/vet" || true)" \
        "$(grep -c ': lost-cancel: ' "$tmp/findings" || true)"
fi
