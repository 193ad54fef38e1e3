#!/usr/bin/env bash
# leakhound list vs go list over GOROOT/src (./..., with -test): wall time of
# each, best of RUNS alternating runs, and the ratio. Asserts nothing.
#
# The two do not do the same work: go list reads file headers (package
# clause, imports, build constraints) and, when warm, answers from its
# cache; leakhound list also parses every listed file completely (the ASTs
# scan will use). -j 1 vs the default shows what the thread pool gives.
#
#   bash bench/load_bench.sh [BUILD_DIR]    # default build; RUNS=5
set -euo pipefail
build=${1:-build}
lh=$(cd "$build" && pwd)/leakhound
runs=${RUNS:-5}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
export GOCACHE=$(cd "$build" && pwd)/go-cache GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0
cd "$(go env GOROOT)/src"
fmt='{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles " "}}'
best() { sort -n | head -1; }
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk "BEGIN{print $e - $s}"; }
go list -test -f "$fmt" ./... >/dev/null    # warm go's cache and the page cache
: >/tmp/lb.go.$$; : >/tmp/lb.lh.$$; : >/tmp/lb.lh1.$$
for _ in $(seq "$runs"); do
    t go list -test -f "$fmt" ./... >>/tmp/lb.go.$$
    t "$lh" list -test --format line ./... >>/tmp/lb.lh.$$
    t "$lh" list -test -j 1 --format line ./... >>/tmp/lb.lh1.$$
done
g=$(best </tmp/lb.go.$$); l=$(best </tmp/lb.lh.$$); l1=$(best </tmp/lb.lh1.$$)
rm -f /tmp/lb.go.$$ /tmp/lb.lh.$$ /tmp/lb.lh1.$$
files=$("$lh" list -test --format line ./... | tr ' ' '\n' | grep -c '\.go$' || true)
echo "GOROOT/src ./... -test: $files files listed, load average $(cut -d' ' -f1 /proc/loadavg), $(nproc) cores"
printf 'go list:                %.3f s\n' "$g"
printf 'leakhound list:         %.3f s  (go/leakhound %.2fx)\n' "$l" "$(awk "BEGIN{print $g / $l}")"
printf 'leakhound list -j 1:    %.3f s  (-j 1 / default %.2fx)\n' "$l1" "$(awk "BEGIN{print $l1 / $l}")"
