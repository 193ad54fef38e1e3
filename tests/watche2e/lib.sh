# Shared by tests/t_watch_*.sh: builds the loopback services of
# tests/watche2e/svc (once per source change; a lock makes parallel ctest
# jobs wait for one build), starts them and reads leakhound's JSON;
# tests/lib.sh collects failures so that one run reports every wrong answer.
#
# Expected file:line pairs come from the markers in tests/watche2e/svc/*.go
# (`// LEAK heap:`, `// LEAK block:`, `// LEAK go:`, `// LEAK conn:`), never
# from hard-coded line numbers.

source "${LH_SRC:?LH_SRC must name the source tree}/tests/lib.sh" watch || exit 1
source "$LH_SRC/tests/golib.sh" || exit 1
: "${LH:?LH must name the leakhound binary}"

E2E=$LH_SRC/tests/watche2e
SVCDIR=$E2E/svc
BIN=$LH_BUILD/watche2e/bin
SVC=$BIN/svc
RSS=$BIN/rss
# marker FILE TAG reads svc/FILE
MARKER_DIR=$SVCDIR

command -v go >/dev/null || { echo "FAIL: no go on PATH (scripts/dev.sh installs one)"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: no python3 (scripts/dev.sh installs it)"; exit 1; }

# Under tests/goleaks/gen.sh's lock and with its Go cache: the standard
# library (net/http and all) is compiled once for both, not twice at once.
build_services() {
    mkdir -p "$BIN"
    (
        flock 9
        stamp=$(go_stamp go "$E2E"/go.mod "$SVCDIR"/*.go "$E2E"/rss/*.go)
        [ -x "$SVC" ] && [ -x "$RSS" ] && [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0
        go_env offline
        cd "$E2E" && go build -o "$SVC.tmp" ./svc && go build -o "$RSS.tmp" ./rss &&
            mv "$SVC.tmp" "$SVC" && mv "$RSS.tmp" "$RSS" && echo "$stamp" >"$BIN/.stamp"
    ) 9>"$LH_BUILD/goleaks.lock"
}
build_services || { echo "FAIL: could not build tests/watche2e/svc and rss"; exit 1; }

# start_svc NAME LEAK [ARGS...]: starts a service in the background; its
# address is then in $T/NAME.addr (see wait_addr). It exits by itself after
# its -life, so a test that dies cannot leave it behind.
start_svc() {
    local name=$1 leak=$2
    shift 2
    start_bg "$SVC" -leak="$leak" -addrfile="$T/$name.addr" -life=180s "$@" 2>"$T/$name.svc.err"
}

# wait_addr NAME -> host:port, once the service (or proxy) has written it
wait_addr() {
    wait_file "$T/$1.addr" "$1" "$T/$1".*err >&2 || return 1
    cat "$T/$1.addr"
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
