# Shared by tests/t_watch_*.sh: builds the loopback services of
# tests/watche2e/svc (once per source change; a lock makes parallel ctest
# jobs wait for one build), starts them, reads leakhound's JSON, and
# collects failures so that one run reports every wrong answer.
#
# Expected file:line pairs come from the markers in tests/watche2e/svc/*.go
# (`// LEAK heap:`, `// LEAK block:`, `// LEAK go:`, `// LEAK conn:`), never
# from hard-coded line numbers.

set -uo pipefail
: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

E2E=$LH_SRC/tests/watche2e
SVCDIR=$E2E/svc
BIN=$LH_BUILD/watche2e/bin
SVC=$BIN/svc
RSS=$BIN/rss
T=$(mktemp -d "${TMPDIR:-/tmp}/lh-watch.XXXXXX")
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# check DESCRIPTION GOT WANT
check() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# check_match DESCRIPTION GOT EXTENDED-REGEX
check_match() {
    checks=$((checks + 1))
    printf '%s\n' "$2" | grep -Eq -- "$3" || fail "$1: got '$2', want /$3/"
}

command -v go >/dev/null || { echo "FAIL: no go on PATH (scripts/dev.sh installs one)"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: no python3 (scripts/dev.sh installs it)"; exit 1; }

# Under tests/goleaks/gen.sh's lock and with its Go cache: the standard
# library (net/http and all) is compiled once for both, not twice at once.
build_services() {
    mkdir -p "$BIN"
    (
        flock 9
        stamp=$( { go version; cat "$E2E"/go.mod "$SVCDIR"/*.go "$E2E"/rss/*.go; } | sha256sum | cut -d' ' -f1)
        [ -x "$SVC" ] && [ -x "$RSS" ] && [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0
        export GOCACHE=$LH_BUILD/goleaks/go-cache GOPATH=$LH_BUILD/goleaks/go-path
        export GO111MODULE=on GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOWORK=off
        cd "$E2E" && go build -o "$SVC.tmp" ./svc && go build -o "$RSS.tmp" ./rss &&
            mv "$SVC.tmp" "$SVC" && mv "$RSS.tmp" "$RSS" && echo "$stamp" >"$BIN/.stamp"
    ) 9>"$LH_BUILD/goleaks.lock"
}
build_services || { echo "FAIL: could not build tests/watche2e/svc and rss"; exit 1; }

# marker FILE TAG -> the line of svc/FILE carrying "// TAG"
marker() {
    local n
    n=$(grep -n -F "// $2" "$SVCDIR/$1" | cut -d: -f1)
    [ "$(printf '%s\n' "$n" | grep -c .)" = 1 ] || { echo "FAIL: no single '// $2' in $1" >&2; exit 1; }
    echo "$n"
}

# start_svc NAME LEAK [ARGS...]: starts a service in the background; its
# address is then in $T/NAME.addr (see wait_addr). It exits by itself after
# its -life, so a test that dies cannot leave it behind.
start_svc() {
    local name=$1 leak=$2
    shift 2
    "$SVC" -leak="$leak" -addrfile="$T/$name.addr" -life=180s "$@" 2>"$T/$name.svc.err" &
    PIDS+=($!)
}

# wait_addr NAME -> host:port, once the service (or proxy) has written it
wait_addr() {
    local i
    for ((i = 0; i < 600; i++)); do
        [ -s "$T/$1.addr" ] && { cat "$T/$1.addr"; return 0; }
        sleep 0.1
    done
    echo "FAIL: $1 did not start: $(cat "$T/$1".*err 2>/dev/null | head -c 300)" >&2
    return 1
}

# jget FILE PATH -> the value at PATH (suspects.0.file) of the JSON in
# FILE: strings as they are, null as "null", objects and arrays as JSON,
# nothing when the path is absent.
jget() {
    python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in filter(None, sys.argv[2].split(".")):
    try:
        v = v[int(k)] if isinstance(v, list) else v[k]
    except (KeyError, IndexError, ValueError, TypeError):
        sys.exit(0)
if v is None:
    print("null")
elif isinstance(v, (dict, list)):
    print(json.dumps(v))
elif isinstance(v, bool):
    print("true" if v else "false")
else:
    print(v)
PY
}

# valid_json FILE: 0 when FILE holds one JSON document (no NaN/Infinity)
valid_json() {
    python3 - "$1" <<'PY'
import json, sys
def bad(c):
    raise ValueError("not JSON: " + c)
json.load(open(sys.argv[1]), parse_constant=bad)
PY
}

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures of $checks checks failed"
        exit 1
    fi
    echo "ok: $checks checks"
    exit 0
}
