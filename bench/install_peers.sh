#!/usr/bin/env bash
# Installs the peers the benchmarks compare leakhound with, at the versions
# pinned in bench/peers.env, into $PEERS_BIN (default ~/go/bin), and GNU time
# (Debian's `time`), which the bench scripts use for peak RSS.
#
#   bash bench/install_peers.sh
#
# Idempotent: a binary already built from the pinned versions (as
# `go version -m` tells) is left alone. Needs the Go on PATH (its own go vet
# and go tool pprof are the other peers) and the Go module proxy. Benchmarks
# only: no test needs any of this.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/peers.env"

command -v go >/dev/null || { echo "install_peers: needs go on PATH" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
    echo "install_peers: installing Debian's time (GNU time, for peak RSS)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; } >/dev/null
fi

# A clean go environment: no -mod or other flags from the caller, no toolchain
# switch (every pin builds with the Go on PATH), the module proxy as configured.
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOBIN=$PEERS_BIN
mkdir -p "$PEERS_BIN"

# modver BIN MODULE: the version of MODULE that BIN was built from, or nothing.
modver() {
    [ -x "$1" ] || return 0
    go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }'
}

# staticcheck and sqlclosecheck: go install of the pinned release.
install_release() {
    local bin=$1 module=$2 version=$3 pkg=$4
    if [ "$(modver "$PEERS_BIN/$bin" "$module")" = "$version" ]; then
        echo "install_peers: $bin $version already installed"
        return
    fi
    echo "install_peers: go install $pkg@$version"
    go install "$pkg@$version"
}
install_release staticcheck "$STATICCHECK_MODULE" "$STATICCHECK_VERSION" "$STATICCHECK_MODULE/cmd/staticcheck"
install_release sqlclosecheck "$SQLCLOSECHECK_MODULE" "$SQLCLOSECHECK_VERSION" "$SQLCLOSECHECK_MODULE"

# bodyclose: its go.mod is too old to `go install` (see peers.env), so build
# the same one-line singlechecker main in a throwaway module that requires
# the pinned versions; -mod=readonly makes the build fail rather than pick a
# "latest" for anything the pins leave open.
if [ "$(modver "$PEERS_BIN/bodyclose" "$BODYCLOSE_MODULE")" = "$BODYCLOSE_VERSION" ] &&
   [ "$(modver "$PEERS_BIN/bodyclose" golang.org/x/tools)" = "$BODYCLOSE_XTOOLS_VERSION" ]; then
    echo "install_peers: bodyclose $BODYCLOSE_VERSION already installed"
else
    echo "install_peers: building bodyclose $BODYCLOSE_VERSION (x/tools $BODYCLOSE_XTOOLS_VERSION)"
    mod=$(mktemp -d "${TMPDIR:-/tmp}/lh-bodyclose.XXXXXX")
    trap 'rm -rf "$mod"' EXIT
    cat >"$mod/main.go" <<'EOF'
// Command bodyclose runs the bodyclose analyzer standalone.
package main

import (
	"github.com/timakin/bodyclose/passes/bodyclose"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(bodyclose.Analyzer) }
EOF
    (
        cd "$mod"
        go mod init leakhound-bench/bodyclose >/dev/null 2>&1
        go get "$BODYCLOSE_MODULE@$BODYCLOSE_VERSION" \
            "golang.org/x/tools@$BODYCLOSE_XTOOLS_VERSION" \
            "github.com/gostaticanalysis/comment@$BODYCLOSE_COMMENT_VERSION"
        go build -mod=readonly -o "$PEERS_BIN/bodyclose" .
    )
fi

echo "install_peers: in $PEERS_BIN, built with $(go version | cut -d' ' -f3):"
printf '  %-14s %s\n' staticcheck "$("$PEERS_BIN/staticcheck" -version)"
printf '  %-14s %s (golang.org/x/tools %s)\n' bodyclose \
    "$(modver "$PEERS_BIN/bodyclose" "$BODYCLOSE_MODULE")" "$(modver "$PEERS_BIN/bodyclose" golang.org/x/tools)"
printf '  %-14s %s\n' sqlclosecheck "$(modver "$PEERS_BIN/sqlclosecheck" "$SQLCLOSECHECK_MODULE")"
printf '  %-14s %s\n' "go vet, pprof" "$(go version | cut -d' ' -f3) (the Go on PATH)"
