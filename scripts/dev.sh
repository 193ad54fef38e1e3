#!/usr/bin/env bash
# The project's one set-up entry point.
#   bash scripts/dev.sh run    install what is missing, build, run leakhound on examples/
#   bash scripts/dev.sh test   install what is missing, build, run every test (ctest), again
#                              under ASan/UBSan, then a short fuzzing smoke run
#   bash scripts/dev.sh build  install what is missing and build
# Packages come from Debian only (apt-get); nothing is downloaded elsewhere.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
mode=${1:-run}

# Build needs; test needs add the Go toolchain (go/parser as the oracle and
# real Go programs that leak); scripts/fuzz.sh adds clang for the fuzz smoke run.
build_pkgs=(build-essential cmake pkg-config zlib1g-dev libcurl4-openssl-dev
            libprotobuf-c-dev protobuf-c-compiler libcmocka-dev)
# python3: two script tests validate JSON and SARIF output and serve
# fixtures over loopback with it. The Go toolchain the tests use is the `go`
# on PATH when it is 1.19 or newer (the project's machines come with a
# current one); Debian's golang-go is installed only when there is none, so
# it never ends up beside a newer Go and ahead of it on PATH.
test_pkgs=(python3)
# The install/package tests render the man page (groff, man -l), build the
# .deb (dpkg-shlibdeps is dpkg-dev's, which build-essential brings; CPack
# picks the binaries for it with file(1)) and run the zsh completion; t_ci_recipes parses docs/ci.md's YAML (python3-yaml)
# and runs the pre-commit hook with pre-commit itself, from a git copy.
test_pkgs+=(groff-base man-db file zsh python3-yaml pre-commit git)
# t_watch_html opens watch's HTML report in headless chromium.
test_pkgs+=(chromium)
# The fleet tests run their own prometheus (and promtool) from Debian's
# package; its systemd service plays no part.
test_pkgs+=(prometheus)
go_minor() {  # prints N of go1.N for the go on PATH, or nothing
    command -v go >/dev/null 2>&1 || return 0
    go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p'
}

install_missing() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# -Werror (LH_WERROR) in every build made here: a warning is a failure for
# the project's developers and CI, not for people building from source.
build() {
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLH_WERROR=ON >/dev/null
    cmake --build build -j"$(nproc)"
}

# Every test that skips says why, and fails instead under CI; this catches
# one that forgets to ask (exit 77 under CI: Skipped in ctest's log).
no_skips_in_ci() {
    [ -n "${CI:-}" ] || return 0
    if grep -q '(Skipped)' "$1"; then
        echo "dev.sh: CI skips nothing, and these tests did not run:" >&2
        grep '(Skipped)' "$1" >&2
        exit 1
    fi
}

case "$mode" in
run)
    install_missing "${build_pkgs[@]}"
    build
    # The main job on the bundled examples. Exit 1 from leakhound means "found
    # something", which is the point here; only 2 (an error) stops the run.
    show() {
        echo "== leakhound $*" >&2
        local rc=0
        ./build/leakhound "$@" || rc=$?
        [ "$rc" -le 1 ] || { echo "dev.sh: leakhound $1 failed (exit $rc)" >&2; exit "$rc"; }
        echo
    }
    # The static half: leak patterns in the example programs' source (one
    # program per pattern; scan finds each at its line).
    show scan ./examples/...
    show trend examples/profiles/cache/heap.*.pb.gz
    show goroutines examples/profiles/blocked/goroutine.7.debug2.txt
    ;;
build)
    install_missing "${build_pkgs[@]}"
    build
    ;;
test)
    minor=$(go_minor)
    if [ -z "$minor" ] || [ "$minor" -lt 19 ]; then
        test_pkgs+=(golang-go golang-src)
        # Debian's go lives in /usr/lib/go/bin with /usr/bin/go a link to it.
        export PATH="/usr/lib/go/bin:$PATH"
    fi
    install_missing "${build_pkgs[@]}" "${test_pkgs[@]}"
    echo "dev.sh: tests use $(command -v go) ($(go env GOVERSION)), GOROOT $(go env GOROOT)" >&2
    build
    (cd build && ctest --output-on-failure -j"$(nproc)") | tee build/ctest.log
    no_skips_in_ci build/ctest.log
    # Release (-O3) with gcc and with clang, warnings as errors: the
    # optimisers see more (gcc's maybe-uninitialized after inlining) than
    # the -O2 test build. A build only, every target; no second test pass.
    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DLH_WERROR=ON >/dev/null
    cmake --build build-release -j"$(nproc)"
    CC=clang cmake -S . -B build-release-clang -DCMAKE_BUILD_TYPE=Release -DLH_WERROR=ON >/dev/null
    cmake --build build-release-clang -j"$(nproc)"
    # Second pass under AddressSanitizer and UBSan: every unit and script
    # test again, the differential only over its broken-input part (mutants
    # and hand-written edge cases drive the error paths where memory bugs
    # hide; the 8,600 valid files would only triple the run).
    cmake -S . -B build-asan -DLH_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLH_WERROR=ON >/dev/null
    cmake --build build-asan -j"$(nproc)"
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 LH_DIFF_TREES=broken \
        ctest --output-on-failure -j"$(nproc)") | tee build-asan/ctest.log
    no_skips_in_ci build-asan/ctest.log
    # Third: a short smoke run of every libFuzzer harness (clang; about a
    # minute), so a decoder change that crashes on the seeds fails here and
    # not in someone's incident. A fixed number of inputs from a fixed seed,
    # so a red run replays anywhere. Long runs: bash scripts/fuzz.sh 600.
    LH_FUZZ_RUNS=3000 bash scripts/fuzz.sh
    # One closing line for whoever reads only the end (set -e got us here, so
    # nothing failed): every ctest test of both passes, plus the smoke run.
    n1=$(cd build && ctest -N | sed -n 's/^Total Tests: //p')
    n2=$(cd build-asan && ctest -N | sed -n 's/^Total Tests: //p')
    echo "dev.sh test: $((n1 + n2 + 1)) passed, 0 failed"
    ;;
*)
    echo "usage: bash scripts/dev.sh [run|test|build]" >&2
    exit 2
    ;;
esac
