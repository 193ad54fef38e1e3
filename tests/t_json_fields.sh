#!/usr/bin/env bash
# leakhound's JSON leaves a field with no value out: never "" or null, never
# a line, column or time of 0 standing for "unknown" (README, "Output").
# Every command that prints JSON runs on inputs where some values are
# missing -- a ?debug=1 dump has no wait reasons and no creators, a lock
# waiter's group has a user frame while the others have none, a package
# error has no line -- and every object of the output is checked.
source "${LH_SRC:?}/tests/lib.sh" json || exit 1
: "${LH:?}"
FIX=$LH_SRC/tests/testdata/profiles

# json_ok WHAT WANT_RCS ARGS...: runs leakhound, then checks its stdout.
json_ok() {
    local what=$1 want=$2 rc
    shift 2
    "$LH" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    checks=$((checks + 1))
    case " $want " in *" $rc "*) ;; *) fail "$what: exit $rc: $(head -c 300 "$T/err")"; return ;; esac
    python3 - "$T/out" <<'PY' || fail "$what: $(head -c 300 "$T/py")"
import json, sys
v = json.load(open(sys.argv[1]))
bad = []
def walk(x, path):
    if isinstance(x, dict):
        for k, y in x.items():
            p = path + "." + k
            if y is None or y == "":
                bad.append(p + " is " + json.dumps(y))
            elif k in ("line", "col", "end_line", "end_col", "user_line", "time_nanos") and y == 0:
                bad.append(p + " is 0")
            walk(y, p)
    elif isinstance(x, list):
        for i, y in enumerate(x):
            walk(y, path + "." + str(i))
walk(v, "")
if bad:
    sys.stderr.write("; ".join(bad[:5]) + "\n")
    sys.exit(1)
PY
}

json_ok "goroutines debug=1" "0 1" goroutines "$FIX/goroutine.debug1.txt" --format json 2>"$T/py"
json_ok "goroutines debug=2" "0 1" goroutines "$FIX/goroutine.debug2.txt" --format json 2>"$T/py"
json_ok "goroutines proto" "0 1" goroutines "$FIX/goroutine.pb.gz" --format json 2>"$T/py"
json_ok "goroutines from stdin" "0 1" goroutines - --format json <"$FIX/goroutine.debug1.txt" 2>"$T/py"
json_ok "goroutineleak" "0 1" goroutines "$FIX/goroutineleak.debug1.txt" "$FIX/goroutineleak.debug2.txt" --format json 2>"$T/py"
json_ok "top" "0" top "$FIX/heap.pb.gz" --format json 2>"$T/py"
json_ok "top of an unsymbolized profile" "0" top "$FIX/pprof-of-heap.debug1.pb.gz" --format json 2>"$T/py"
json_ok "diff" "0" diff "$FIX/heap.debug1.txt" "$FIX/heap.pb.gz" --by line --format json 2>"$T/py"

# scan: a finding with a function, one at package level, a package error.
mkdir -p "$T/m/a" "$T/m/mixed"
printf 'module example.com/m\n' >"$T/m/go.mod"
printf 'package a\n\nimport "os"\n\nvar f, _ = os.Open("x")\n\nfunc F() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n' >"$T/m/a/a.go"
printf 'package x\n' >"$T/m/mixed/x.go"
printf 'package y\n' >"$T/m/mixed/y.go"
# (A package error is an error: exit 2, the JSON printed all the same.)
cd "$T/m" || exit 1
json_ok "scan" "2" scan --format json ./... 2>"$T/py"
cd - >/dev/null || exit 1
grep -q "found packages x" "$T/out" || fail "scan: the package error is not in the JSON: $(head -c 300 "$T/out")"
grep -q '"function": "F"' "$T/out" || fail "scan: the finding in F lost its function: $(head -c 300 "$T/out")"

finish
