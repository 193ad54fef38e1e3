# Shared by the script tests that check many things in one run and report
# every wrong answer, not just the first (tests/t_profile_*.sh, t_watch_*.sh,
# t_runtime_*.sh through tests/goleaks/lib.sh, ...). Sourced first:
#
#   source "${LH_SRC:?}/tests/lib.sh" TAG || exit 1
#   check "what" "$got" "$want"; run 2 top x.pb.gz; one_error_line ...
#   finish [SUMMARY]
#
# It makes the scratch directory $T (lh-TAG.XXXXXX under $TMPDIR), removed on
# exit after every process started with start_bg has been ended, so a test
# that fails half-way leaves nothing behind.

set -uo pipefail
: "${LH_SRC:?LH_SRC must name the source tree}"

T=$(mktemp -d "${TMPDIR:-/tmp}/lh-${1:-test}.XXXXXX") || { echo "FAIL: no scratch directory"; exit 1; }
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

# run WANT_RC ARGS... : leakhound ARGS, stdout in $T/out, stderr in $T/err
run() {
    local want=$1 rc
    shift
    "${LH:?LH must name the leakhound binary}" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    checks=$((checks + 1))
    [ "$rc" = "$want" ] || fail "leakhound $*: exit $rc, want $want: $(head -c 300 "$T/err")"
}

# has FILE REGEX WHAT / hasnt FILE REGEX WHAT: FILE is out or err of run
has() { grep -q -- "$2" "$T/$1" || fail "$3: '$2' not in $1: $(head -c 400 "$T/$1")"; }
hasnt() { grep -q -- "$2" "$T/$1" && fail "$3: '$2' in $1: $(head -c 400 "$T/$1")"; }

# one_error_line WHAT REGEX: the run before it wrote one line, matching
# REGEX, on stderr and nothing on stdout (the contract for bad input)
one_error_line() {
    check "$1: one line on stderr" "$(wc -l <"$T/err")" 1
    [ -s "$T/out" ] && fail "$1: wrote to stdout: $(head -c 200 "$T/out")"
    has err "$2" "$1"
}

# start_bg COMMAND ARGS...: runs it in the background until the test ends
# (the command should also end by itself, in case this shell is killed)
start_bg() {
    "$@" &
    PIDS+=($!)
}

# wait_file FILE WHAT [LOG...]: waits (a minute at most, for a loaded
# machine) until FILE is there and not empty, as a server writes its address
# once it listens; else a failure naming WHAT, with the start of the LOGs.
wait_file() {
    local file=$1 what=$2 i
    shift 2
    for ((i = 0; i < 600; i++)); do
        [ -s "$file" ] && return 0
        sleep 0.1
    done
    fail "$what did not start${1:+: $(cat "$@" 2>/dev/null | head -c 300)}"
    return 1
}

# marker FILE TAG -> the number of the one line of FILE (under $MARKER_DIR
# when set) that carries "// TAG": expected lines come from such markers in
# the test programs, never from numbers written into a test.
marker() {
    local n
    n=$(grep -n -F "// $2" "${MARKER_DIR:+$MARKER_DIR/}$1" | cut -d: -f1)
    [ "$(printf '%s\n' "$n" | grep -c .)" = 1 ] || { echo "FAIL: no single '// $2' in $1" >&2; exit 1; }
    echo "$n"
}

# finish [SUMMARY]: the verdict, and the exit status that ctest reads
finish() {
    if [ "$failures" -gt 0 ]; then
        echo "FAILED: $failures failure(s)$( ((checks)) && echo " in $checks checks")"
        exit 1
    fi
    echo "ok: ${1:-$checks checks}"
    exit 0
}
