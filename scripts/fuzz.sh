#!/usr/bin/env bash
# Builds the libFuzzer harnesses in fuzz/ (clang, ASan+UBSan) in build-fuzz
# and runs each for a while, one after the other on one core.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
# Env: LH_FUZZ_TARGETS="fuzz_lex fuzz_parse ..." runs a subset;
#      LH_FUZZ_BUILD=dir picks the build directory (default build-fuzz);
#      LH_FUZZ_RUNS=N runs each fuzzer N inputs with a fixed seed instead of
#        for a time: the same inputs every run, so CI's smoke run is
#        reproducible (a failure there replays here);
#      LH_FUZZ_GOLEAKS=1 also seeds from the profiles tests/goleaks/gen.sh
#      writes (needs Go; slow the first time).
# Exit status: 0 no fuzzer found anything, 1 some fuzzer found a crash, hang
# or leak (its reproducer path is printed), 2 set-up failed. UBSan reports
# of findings already open (fuzz/ubsan.supp) do not count.
# Corpora live in $LH_FUZZ_BUILD/corpus/<target> and grow across runs; the
# seeds are rebuilt from the source tree every run. fuzz/README.md tells how
# to reproduce and minimize a crash.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
secs=${1:-60}
case "$secs" in ''|*[!0-9]*) echo "usage: bash scripts/fuzz.sh [SECONDS_PER_TARGET]" >&2; exit 2;; esac
build=${LH_FUZZ_BUILD:-$here/build-fuzz}
targets=(${LH_FUZZ_TARGETS:-fuzz_lex fuzz_parse fuzz_profile fuzz_analysis fuzz_baseline})

# Same packages as scripts/dev.sh build needs, plus clang and libFuzzer.
pkgs=(cmake pkg-config zlib1g-dev libcurl4-openssl-dev libprotobuf-c-dev
      protobuf-c-compiler libcmocka-dev clang libclang-rt-14-dev)
install_missing() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "fuzz.sh: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing "${pkgs[@]}"

CC=clang cmake -S . -B "$build" -DLH_FUZZ=ON -DLH_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null \
    || { echo "fuzz.sh: cmake configure failed" >&2; exit 2; }
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null \
    || { echo "fuzz.sh: build failed (run: cmake --build $build --target ${targets[*]})" >&2; exit 2; }

# ---- seeds ----------------------------------------------------------------
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds/go" "$seeds/profile" "$seeds/analysis" "$seeds/baseline"

n=0
add_seed() {    # add_seed DIR FILE: copy under a unique name
    n=$((n + 1))
    cp "$2" "$1/$n-$(basename "$2")"
}

# Go source: the parser fixtures, the examples, the leak programs, a slice of
# GOROOT, and the committed regressions.
for f in tests/testdata/parse/*.go examples/*/*.go tests/goleaks/*.go fuzz/seeds/go/* \
         fuzz/regressions/fuzz_lex/* fuzz/regressions/fuzz_parse/*; do
    [ -f "$f" ] && add_seed "$seeds/go" "$f"
done
goroot=$(go env GOROOT 2>/dev/null || true)
if [ -n "$goroot" ] && [ -d "$goroot/src" ]; then
    # Small files only (max_len below); every 40th for variety without bulk.
    find "$goroot/src/go" "$goroot/test" -name '*.go' -size -8k 2>/dev/null | sort | awk 'NR % 40 == 0' |
        while read -r f; do add_seed "$seeds/go" "$f"; done
fi

# Profiles: every fixture as it is and, for gzip, inflated too (raw protobuf
# is where mutations reach the decoder; gzip mostly tests zlib).
profile_inputs=(tests/testdata/profiles/*.txt tests/testdata/profiles/*.pb.gz
                examples/profiles/*/* fuzz/seeds/profile/* fuzz/regressions/fuzz_profile/*)
if [ "${LH_FUZZ_GOLEAKS:-0}" = 1 ] && command -v go >/dev/null; then
    if LH_BUILD=$build bash tests/goleaks/gen.sh >/dev/null 2>&1; then
        while IFS= read -r f; do profile_inputs+=("$f"); done \
            < <(find "$build/profiles" -type f \( -name '*.pb.gz' -o -name '*.txt' \) -size -64k | sort | head -40)
    else
        echo "fuzz.sh: tests/goleaks/gen.sh failed; seeding from the committed profiles only" >&2
    fi
fi
for f in "${profile_inputs[@]}"; do
    [ -f "$f" ] || continue
    add_seed "$seeds/profile" "$f"
    case "$f" in
    *.gz) gzip -dc "$f" > "$seeds/profile/$n-$(basename "$f" .gz).raw" 2>/dev/null || true ;;
    esac
done
# The analysis harness splits its input into snapshots at this line (see
# fuzz_analysis.c): seed it with series of one program's snapshots.
sep=$'\n--snapshot--\n'
cp "$seeds"/profile/* "$seeds/analysis/"
series() {  # series NAME FILE...: raw snapshots joined by the separator
    local out=$seeds/analysis/series-$1 first=1 f
    : > "$out"
    shift
    for f in "$@"; do
        [ -f "$f" ] || return 0
        [ $first = 1 ] || printf '%s' "$sep" >> "$out"
        first=0
        case "$f" in *.gz) gzip -dc "$f" >> "$out" ;; *) cat "$f" >> "$out" ;; esac
    done
}
series heap examples/profiles/cache/heap.{1,4,7}.pb.gz
series heap2 examples/profiles/cache/heap.{1,2}.pb.gz
series goroutines examples/profiles/blocked/goroutine.{1,4,7}.debug1.txt
series dumps tests/testdata/profiles/goroutine.debug2.txt tests/testdata/profiles/goroutineleak.debug2.txt
for f in fuzz/seeds/analysis/* fuzz/regressions/fuzz_analysis/*; do
    [ -f "$f" ] && add_seed "$seeds/analysis" "$f"
done

# Baselines (scan --format json documents): a run on examples/ and small
# hand-made ones (escapes, skipped values).
for f in fuzz/seeds/baseline/* fuzz/regressions/fuzz_baseline/*; do
    [ -f "$f" ] && add_seed "$seeds/baseline" "$f"
done

# ---- run ------------------------------------------------------------------
seed_dir() {
    case "$1" in
    fuzz_lex|fuzz_parse) echo "$seeds/go" ;;
    fuzz_profile) echo "$seeds/profile" ;;
    fuzz_baseline) echo "$seeds/baseline" ;;
    *) echo "$seeds/analysis" ;;
    esac
}
dict() {        # tokens that guide mutations past the formats' keywords
    case "$1" in
    fuzz_lex|fuzz_parse) echo "$here/fuzz/go.dict" ;;
    fuzz_baseline) echo "$here/fuzz/json.dict" ;;
    *) echo "$here/fuzz/profile.dict" ;;
    esac
}
max_len() {     # Go files and text profiles are long; binary mutations are not
    case "$1" in
    fuzz_lex) echo 16384 ;;
    fuzz_parse) echo 16384 ;;
    fuzz_profile) echo 65536 ;;
    *) echo 65536 ;;
    esac
}

if [ -n "${LH_FUZZ_RUNS:-}" ]; then budget_label="$LH_FUZZ_RUNS runs"; else budget_label="${secs}s"; fi
found=()
for t in "${targets[@]}"; do
    corpus=$build/corpus/$t
    art=$build/artifacts/$t
    mkdir -p "$corpus" "$art"
    log=$build/$t.log
    echo "fuzz.sh: $t for $budget_label (log $log)" >&2
    rc=0
    if [ -n "${LH_FUZZ_RUNS:-}" ]; then
        budget=(-runs="$LH_FUZZ_RUNS" -seed=1)
    else
        budget=(-max_total_time="$secs")
    fi
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions="$here/fuzz/ubsan.supp" \
        "$build/fuzz/$t" "$corpus" "$(seed_dir "$t")" \
        "${budget[@]}" -max_len="$(max_len "$t")" -dict="$(dict "$t")" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$art/" > "$log" 2>&1 || rc=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed "s/^/  $t: /" >&2 || true
    grep -E '^#[0-9]+' "$log" | tail -1 | sed "s/^/  $t: /" >&2 || true
    if [ "$rc" -ne 0 ]; then
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "fuzz.sh: $t FOUND A BUG (exit $rc): reproducer ${repro:-see $log}" >&2
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -3 | sed 's/^/  /' >&2 || true
        echo "  reproduce: $build/fuzz/$t ${repro:-FILE}" >&2
        found+=("$t:${repro:-$log}")
    fi
done

if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz.sh: ${#found[@]} fuzzer(s) found bugs:" >&2
    printf '  %s\n' "${found[@]}" >&2
    exit 1
fi
echo "fuzz.sh: no crashes in ${#targets[@]} fuzzers x $budget_label" >&2
