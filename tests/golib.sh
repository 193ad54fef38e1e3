# Shared by what builds the Go programs the tests run (tests/goleaks/gen.sh,
# tests/goleaks/lib.sh, tests/watche2e/lib.sh, t_fleet_prometheus.sh): one Go
# cache in the build tree for all of them, so the standard library (net/http
# and all) is compiled once rather than once per test, and a stamp over a
# build's inputs so that it is redone only when they change. The builds that
# share the cache also share $LH_BUILD/goleaks.lock: parallel ctest jobs wait
# for one build instead of racing. Also the skip of the tests that need a
# newer Go than the one there is.
: "${LH_BUILD:?LH_BUILD must name the build tree}"

# go_skip NAME WHY: the test cannot run with this Go: it says so on one
# line and exits 77 (ctest: Not Run (Skipped), in the summary) -- or 1 under
# CI, which skips nothing.
go_skip() {
    echo "$1: skipped: $2"
    [ -z "${CI:-}" ] || exit 1
    exit 77
}

# go_env [offline]: the shared cache; with "offline", modules as the tests'
# programs need them (no proxy, no checksum database, no workspace), which
# a test that fetches a toolchain must not have.
go_env() {
    export GOCACHE=$LH_BUILD/goleaks/go-cache GOPATH=$LH_BUILD/goleaks/go-path
    [ "${1:-}" = offline ] || return 0
    export GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOWORK=off
}

# go_stamp GO FILES... -> a hash of GO's version and FILES: a build that
# recorded another stamp is out of date.
go_stamp() {
    local go=$1
    shift
    { "$go" version; cat "$@"; } | sha256sum | cut -d' ' -f1
}
