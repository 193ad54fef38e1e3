#!/usr/bin/env bash
# Records examples/profiles again from the leak programs of tests/goleaks,
# built with -trimpath so that the profiles name module paths
# (leakhound.test/goleaks/cache.go), never the checkout of the machine that
# recorded them. Uses the `go` on PATH, offline, as tests/goleaks/gen.sh
# does. A maintainer's tool: afterwards run the README's example commands
# and put their output in the README (tests/t_readme_examples.sh checks it).
#
#   bash scripts/gen_examples.sh [WORK_DIR]      (default build-examples)
#
# The snapshots are a second apart, not gen.sh's 300 ms: the programs leak
# at a rate per interval of wall-clock time, and on a busy machine writing a
# dump of hundreds of goroutines can take longer than 300 ms, which skews
# the series the README shows (101, 401, 701 goroutines, not 101, 706, 2008).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=${1:-build-examples}
mkdir -p "$work"
work=$(cd "$work" && pwd)
export GOCACHE=$work/go-cache GOPATH=$work/go-path
export GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOWORK=off
(cd tests/goleaks && go build -trimpath -o "$work/goleaks" .)
rm -rf "$work/out"
# Every allocation sampled from the first one, as gen.sh records them.
GODEBUG=memprofilerate=1 "$work/goleaks" -leak=cache -out="$work/out/cache" -snapshots=7 -interval=1s
GODEBUG=memprofilerate=1 "$work/goleaks" -leak=blocked -out="$work/out/blocked" -snapshots=7 -interval=1s
for i in 1 2 3 4 5 6 7; do
    cp "$work/out/cache/heap.$i.pb.gz" examples/profiles/cache/
done
for i in 1 4 7; do
    cp "$work/out/blocked/goroutine.$i.debug1.txt" examples/profiles/blocked/
done
cp "$work/out/blocked/goroutine.7.debug2.txt" examples/profiles/blocked/
echo "gen_examples.sh: examples/profiles recorded with $(go version)" >&2
