#!/usr/bin/env bash
# Golden outputs: every command's whole output (text and JSON, SARIF and
# Code Climate for scan) on the realistic inputs of examples/ and
# tests/testdata, one file per case under tests/golden/, and the exit
# status of every case in tests/golden/EXIT. tests/t_golden.sh runs the
# same cases and diffs; this script writes them.
#
#   bash scripts/golden.sh              # regenerate tests/golden/ with build/leakhound
#   LH=path/to/leakhound bash scripts/golden.sh
#   bash scripts/golden.sh --out DIR    # write to DIR instead (what t_golden.sh does)
#
# A regenerated golden is reviewed like code: `git diff tests/golden`
# must show only the change the commit intends.
#
# The outputs are machine-independent: every command runs in the source
# tree with relative paths, TZ=UTC and LC_ALL=C. What a command prints
# that still depends on the machine is normalised below (norm), and each
# substitution says why.
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$src/tests/golden
if [ "${1:-}" = --out ]; then
    mkdir -p "$2" && out=$(cd "$2" && pwd)
fi
# The inputs run from a copy whose files all carry one fixed time: a
# checkout's file times are when it was made, and text snapshots take
# their times (and their order notes) from them, so the outputs would
# differ from clone to clone. The copy keeps the tree's relative paths.
tree=$(mktemp -d "${TMPDIR:-/tmp}/lh-golden-src.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/tests"
cp -R "$src/examples" "$tree/examples"
cp -R "$src/tests/testdata" "$tree/tests/testdata"
cp -R "$src/tests/goleaks" "$tree/tests/goleaks"
find "$tree" -exec touch -h -d '2026-01-01 00:00:00 UTC' {} +
src_real=$src
src=$tree
cd "$src"   # the cases' paths, and the globs below, are relative to the source tree
LH=${LH:-$src_real/build/leakhound}
[ -x "$LH" ] || { echo "golden.sh: no leakhound binary at $LH (build first, or set LH)" >&2; exit 2; }
export TZ=UTC LC_ALL=C
unset GOOS GOARCH CGO_ENABLED GOFLAGS GOWORK NO_COLOR CI 2>/dev/null || true
version=$("$LH" version | sed -n '1s/^leakhound //p')

# norm: the version and the commit of this build (scan's JSON and SARIF
# name the tool's version; they change with every commit, not with the
# behaviour), the absolute source directory (SARIF's base URI), and
# scan's JSON "seconds" (the run's own wall time).
norm() {
    sed -e "s#$src#@SRC@#g" -e "s#\"$version\"#\"@VERSION@\"#g" \
        -e "s#leakhound $version#leakhound @VERSION@#g" \
        -e 's#"seconds": [0-9.e+-]*#"seconds": @SECONDS@#g'
}

rm -rf "$out.tmp" && mkdir -p "$out.tmp"
: >"$out.tmp/EXIT"
# run NAME ARGS...: stdout to NAME (stderr too when there is any: NAME.err),
# the exit status to EXIT.
run() {
    local name=$1 rc=0
    shift
    (cd "$src" && "$LH" "$@") >"$out.tmp/$name.raw" 2>"$out.tmp/$name.eraw" || rc=$?
    norm <"$out.tmp/$name.raw" >"$out.tmp/$name"
    if [ -s "$out.tmp/$name.eraw" ]; then norm <"$out.tmp/$name.eraw" >"$out.tmp/$name.err"; fi
    rm -f "$out.tmp/$name.raw" "$out.tmp/$name.eraw"
    printf '%s\t%s\t%s\n' "$name" "$rc" "$*" >>"$out.tmp/EXIT"
}

P=tests/testdata/profiles
cache=(examples/profiles/cache/heap.{1,2,3,4,5,6,7}.pb.gz)
blocked=(examples/profiles/blocked/goroutine.{1,4,7}.debug1.txt)

# ---- top: every input format, the default sample type, --by, -n, --sample
run top.cache.txt top examples/profiles/cache/heap.7.pb.gz
run top.cache.json top examples/profiles/cache/heap.7.pb.gz --format json
run top.cache.line.txt top examples/profiles/cache/heap.7.pb.gz --by line -n 5
run top.cache.alloc.txt top examples/profiles/cache/heap.7.pb.gz --sample alloc_space -n 5
run top.heap-debug1.txt top $P/go1.27/heap.debug1.txt
run top.heap-debug1.json top $P/go1.27/heap.debug1.txt --format json
run top.allocs-sparse.txt top $P/allocs-sparse-ids.pb --by line
run top.allocs-sparse.json top $P/allocs-sparse-ids.pb --format json
run top.goroutine-pb.txt top $P/go1.27/goroutine.pb.gz
run top.bad-sample.txt top $P/heap.pb.gz --sample no_such_type
run top.list.txt top $P/heap.pb.gz --list 'allocBig$' --source-path $P/gen

# ---- diff
run diff.cache.txt diff "${cache[0]}" "${cache[6]}"
run diff.cache.json diff "${cache[0]}" "${cache[6]}" --format json
run diff.cache.line.txt diff "${cache[0]}" "${cache[6]}" --by line -n 5
run diff.goroutines.txt diff "${blocked[0]}" "${blocked[2]}"

# ---- trend
run trend.cache.txt trend "${cache[@]}"
run trend.cache.json trend "${cache[@]}" --format json
run trend.cache.function.txt trend "${cache[@]}" --by function
run trend.two.txt trend "${cache[0]}" "${cache[1]}"

# ---- goroutines: several debug=1 dumps, a debug=2 dump, a leak profile
run goroutines.blocked.txt goroutines "${blocked[@]}"
run goroutines.blocked.json goroutines "${blocked[@]}" --format json
run goroutines.debug2.txt goroutines examples/profiles/blocked/goroutine.7.debug2.txt
run goroutines.debug2.json goroutines examples/profiles/blocked/goroutine.7.debug2.txt --format json
run goroutines.leak.txt goroutines $P/go1.27/goroutineleak.debug2.txt
run goroutines.leak.json goroutines $P/go1.27/goroutineleak.debug2.txt --format json
run goroutines.pb.json goroutines $P/go1.27/goroutine.pb.gz --format json

# ---- scan, every format, on the examples and on the rules' fixtures
run scan.examples.txt scan ./examples/...
run scan.examples.json scan ./examples/... --format json
run scan.examples.sarif scan ./examples/... --format sarif
run scan.examples.codeclimate scan ./examples/... --format codeclimate
# each rule's fixtures (testdata directories: named one by one, as ./...
# leaves testdata out)
for d in tests/testdata/*/; do
    d=${d%/}
    ls "$d"/*.go >/dev/null 2>&1 || continue
    run "scan.fixture.${d##*/}.txt" scan "./$d"
done
run scan.fixture.defer-in-loop.json scan ./tests/testdata/defer-in-loop --format json
run scan.fixture.goroutine-no-exit.sarif scan ./tests/testdata/goroutine-no-exit --format sarif

# ---- list, parse, rules, explain
run list.examples.txt list ./examples/...
run list.examples.json list ./examples/... --format json
run parse.examples.txt parse -v examples
run parse.dump.txt parse --dump examples/deferloop/main.go
run rules.txt rules
for r in $("$LH" rules | awk '{print $1}'); do
    run "explain.$r.txt" explain "$r"
done
run explain.unknown.txt explain no-such-rule

# ---- watch --load on the saved watches of tests/testdata/watch
for w in tests/testdata/watch/*/; do
    w=${w%/}
    [ -f "$w/watch.tsv" ] || continue
    run "watch.${w##*/}.txt" watch --load "$w"
    run "watch.${w##*/}.json" watch --load "$w" --format json
done
# ... and the body leak with its source: the suspect confirmed by scan
# (rule, file, line, column, fix) and ranked by it
run watch.body.source.txt watch --load tests/testdata/watch/body --source tests/goleaks
run watch.body.source.json watch --load tests/testdata/watch/body --source tests/goleaks --format json

rm -rf "$out" && mv "$out.tmp" "$out"
echo "golden.sh: $(wc -l <"$out/EXIT") cases in ${out#"$src_real"/}" >&2
