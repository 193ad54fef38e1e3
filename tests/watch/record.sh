#!/usr/bin/env bash
# Records the watch fixtures in tests/testdata/watch/ from real Go services
# (run by hand when the fixtures need renewing; the tests only read them):
#   body      tests/goleaks -leak=body: responses never closed (seed 004)
#   warmup    tests/watch/warmup: a cache filled in the first 6.4 s, then steady
#   warmleak  the same with -leak: after the warm-up, a slow steady climb
# Each is `leakhound watch --save` output; the goroutine dumps are gzipped
# to keep the tree small (the decoder and the fixture server take them so).
#
#   LH=build/leakhound LH_BUILD=build bash tests/watch/record.sh
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${LH:?}" "${LH_BUILD:?}"
out=$src/tests/testdata/watch
# -trimpath: the profiles name files by module path, not by this checkout's
# directory (the README shows one of them).
export GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
mkdir -p "$LH_BUILD"
(cd "$src/tests/goleaks" && go build -trimpath -o "$LH_BUILD/watch-goleaks" .)
(cd "$src/tests/watch/warmup" && go build -trimpath -o "$LH_BUILD/watch-warmup" .)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# record NAME FOR CMD... : watch the service CMD starts for FOR, every second
record() {
    local name=$1 dur=$2
    shift 2
    rm -f "$T/addr"
    "$@" -addrfile="$T/addr" &
    local pid=$!
    for _ in $(seq 100); do [ -s "$T/addr" ] && break; sleep 0.1; done
    rm -rf "${out:?}/$name"
    "$LH" watch "$(cat "$T/addr")" --every 1s --for "$dur" --quiet --save "$out/$name" >/dev/null || true
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    for f in "$out/$name"/goroutine*.txt; do
        gzip -9n "$f"
    done
    sed -i 's/\(goroutine[a-z]*\.[0-9]*\.txt\)$/\1.gz/' "$out/$name/watch.tsv"
}

record body 6s "$LH_BUILD/watch-goleaks" -leak=body -serve=30s -interval=1s -memprofilerate=8192
record warmup 14s "$LH_BUILD/watch-warmup" -serve=30s
record warmleak 14s "$LH_BUILD/watch-warmup" -serve=30s -leak
du -sh "$out"/*
