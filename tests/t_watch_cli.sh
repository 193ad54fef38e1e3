#!/usr/bin/env bash
# leakhound watch against recorded services played back on loopback
# (tests/watch/fixture_server.py serving tests/testdata/watch/*, recorded
# from real Go programs by tests/watch/record.sh): the verdict and the JSON
# shape, warm-up versus growth, --save then --load, a restart, faults
# (500, truncated profile, slow answer), a service going away, Ctrl-C.
source "${LH_SRC:?}/tests/lib.sh" watch || exit 1
: "${LH:?}"
FIX=$LH_SRC/tests/testdata/watch
SERVER=$LH_SRC/tests/watch/fixture_server.py
command -v python3 >/dev/null || { echo "FAIL: python3 is needed for the fixture server"; exit 1; }
body_line=$(marker "$LH_SRC/tests/goleaks/body.go" "LEAK body:")
leak_line=$(marker "$LH_SRC/tests/watch/warmup/main.go" "LEAK heap:")

# recorded FIXTURE: how many snapshots it has
recorded() { grep -c '^snap' "$FIX/$1/watch.tsv"; }

# start NAME FIXTURE ARGS... : starts a fixture server, writing its
# host:port to $T/NAME.addr; serve NAME waits for it. All start at once:
# Python takes a second or two to come up on a busy machine.
start() {
    local name=$1 fixture=$2
    shift 2
    start_bg python3 "$SERVER" "$FIX/$fixture" "$T/$name.addr" "$@" 2>"$T/$name.server.err"
}
serve() { wait_file "$T/$1.addr" "fixture server $1" "$T/$1.server.err"; }
start body body
start warmup warmup
start warmleak warmleak
start restart body --seq 0-6,0-6
start faults body --fault 2:heap:500 --fault 3:goroutine:truncate --fault 4:heap:slow
start gone body --end exit
start sigint body --end exit

# watch NAME WANT_RC ARGS... : leakhound watch, JSON in $T/NAME.json
watch() {
    local name=$1 want=$2 rc
    shift 2
    "$LH" watch --format json "$@" >"$T/$name.json" 2>"$T/$name.err"
    rc=$?
    check "watch $name: exit status ($(tail -c 300 "$T/$name.err"))" "$rc" "$want"
}

# expect NAME  then lines "DESCRIPTION | PYTHON EXPRESSION | WANT" on stdin:
# each expression over the report d (b is os.path.basename) must print as
# WANT. One Python for all of a report's checks: it starts slowly.
expect() {
    local out
    out=$(python3 -c '
import json, os, sys
b = os.path.basename
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    d = None
    print("FAIL: %s: not JSON: %s" % (sys.argv[1], e))
n = 0
for line in sys.stdin:
    if not line.strip():
        continue
    desc, expr, want = [x.strip() for x in line.rsplit("|", 2)] if line.count("|") >= 2 else (line, "", "")
    n += 1
    try:
        got = str(eval(expr)) if d is not None else "?"
    except Exception as e:
        got = "error: %r" % e
    if got != want:
        print("FAIL: %s: %s: got %r, want %r" % (sys.argv[2], desc, got, want))
print("checks %d" % n)
' "$T/$1.json" "$1")
    while IFS= read -r l; do
        case $l in
        "checks "*) checks=$((checks + ${l#checks })) ;;
        FAIL:*) echo "$l"; failures=$((failures + 1)) ;;
        esac
    done <<<"$out"
}

# ---- usage ------------------------------------------------------------------
"$LH" watch --help >"$T/help" 2>&1
check "--help exit" $? 0
for opt in --every --for --timeout --save --load --format; do
    grep -q -- "$opt" "$T/help" || fail "--help does not mention $opt"
done
"$LH" watch >/dev/null 2>&1
check "no URL: exit" $? 2
"$LH" watch 127.0.0.1:1 --every 15 >/dev/null 2>"$T/e"
check "--every without a unit: exit" $? 2
"$LH" watch --load "$T/nothing" >/dev/null 2>"$T/e"
check "--load of a missing dir: exit" $? 2
grep -q "$T/nothing/watch.tsv" "$T/e" || fail "--load error does not name the file: $(cat "$T/e")"

# ---- an unclosed response body: a connection leak named at the caller -------
serve body && {
    watch body 1 "$(cat "$T/body.addr")" --every 100ms --count 7 --save "$T/saved"
    expect body <<EOF
JSON keys | sorted(k for k in d if k in ('target','started','duration_s','snapshots','suspects','series')) | ['duration_s', 'series', 'snapshots', 'started', 'suspects', 'target']
suspect keys | all(set(('kind','function','file','line','growth_per_hour','confidence','confirmed_by','stack')) <= set(s) for s in d['suspects']) | True
target | d['target'] | http://$(cat "$T/body.addr")/debug/pprof/
snapshots | d['snapshots'] >= 7 | True
first suspect | ' '.join(str(x) for x in (d['suspects'][0]['kind'], d['suspects'][0]['function'], b(d['suspects'][0]['file']), d['suspects'][0]['line'])) | connection main.callBackend body.go $body_line
allocated in the transport's buffers | d['suspects'][0]['std_function'] | bufio.NewReaderSize
stack reaches the caller | any(f['function'] == 'main.callBackend' for f in d['suspects'][0]['stack']) | True
not confirmed without --source | d['suspects'][0]['confirmed_by'] | None
growth and confidence | d['suspects'][0]['growth_per_hour'] > 0 and 0 < d['suspects'][0]['confidence'] <= 1 | True
series lengths | len(set(len(v) for v in d['series'].values()).union({d['snapshots'], len(d['suspects'][0]['series'])})) | 1
no other suspect | len(d['suspects']) | 1
EOF
    # what was saved plays back to the same verdict, and the profile
    # commands take the files in time order
    ls "$T/saved"/heap.*.pb.gz >/dev/null 2>&1 || fail "--save wrote no heap profiles"
    watch loaded 1 --load "$T/saved"
    checks=$((checks + 1))
    python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
key = lambda d: [(s["kind"], s["function"], s["line"]) for s in d["suspects"]]
if key(a) != key(b) or a["snapshots"] != b["snapshots"]:
    print("FAIL: --load: %s, %d snapshots; the watch said %s, %d" % (key(b), b["snapshots"], key(a), a["snapshots"]))
' "$T/body.json" "$T/loaded.json" | grep . && failures=$((failures + 1))
    # the join: scan's finding on the caller's line confirms it; the HTML
    # report is written beside
    watch confirmed 1 --load "$T/saved" --source "$LH_SRC/tests/goleaks" --html "$T/report.html"
    expect confirmed <<EOF
confirmed by | (d['suspects'][0]['confirmed_by']['rule'], b(d['suspects'][0]['confirmed_by']['file']), d['suspects'][0]['confirmed_by']['line']) | ('unclosed-body', 'body.go', $body_line)
a fix | len(d['suspects'][0]['confirmed_by']['fix']) > 10 | True
EOF
    grep -q "<svg" "$T/report.html" 2>/dev/null || fail "--html: no chart in $T/report.html"
    "$LH" watch --load "$T/saved" --source "$T/no-such-dir" >/dev/null 2>"$T/e"
    check "--source of a missing tree: exit" $? 2
    "$LH" trend "$T/saved"/heap.*.pb.gz >/dev/null 2>"$T/e"
    # --for ends the watch by the clock (the recording is played out: the
    # last snapshot again and again, so nothing grows)
    watch for 0 "$(cat "$T/body.addr")" --every 100ms --for 300ms
    expect for <<EOF
stopped by the clock | 1 <= d['snapshots'] and d['duration_s'] < 5 | True
EOF
    [ $? -le 1 ] || fail "trend over the saved heap profiles: $(cat "$T/e")"
}

# ---- warm-up then steady: nothing; warm-up then a slow climb: the climb -----
serve warmup && {
    watch warmup 0 "$(cat "$T/warmup.addr")" --every 50ms --count "$(recorded warmup)"
    expect warmup <<EOF
no suspects | len(d['suspects']) | 0
the heap did grow | d['series']['heap_inuse_bytes'][-1] > 4 * d['series']['heap_inuse_bytes'][0] | True
EOF
}
serve warmleak && {
    watch warmleak 1 "$(cat "$T/warmleak.addr")" --every 50ms --count "$(recorded warmleak)"
    expect warmleak <<EOF
first suspect | ' '.join(str(x) for x in (d['suspects'][0]['kind'], d['suspects'][0]['function'], b(d['suspects'][0]['file']), d['suspects'][0]['line'])) | heap main.remember main.go $leak_line
the warm-up's cache is no suspect | [s['function'] for s in d['suspects'] if s['function'] == 'main.fill'] | []
EOF
}

# ---- a restart: counters go down; each process judged on its own ----------
serve restart && {
    watch restart 1 "$(cat "$T/restart.addr")" --every 100ms --count 14
    expect restart <<EOF
detected at | d['restarts'] | [7]
noted | any('restart detected' in n['text'] for n in d['notes']) | True
still a connection leak | (d['suspects'][0]['kind'], d['suspects'][0]['function']) | ('connection', 'main.callBackend')
EOF
}

# ---- faults: retried and noted, the data kept ---------------------------------
serve faults && {
    watch faults 1 "$(cat "$T/faults.addr")" --every 100ms --count 7 --timeout 300ms
    expect faults <<EOF
verdict kept | (d['suspects'][0]['kind'], d['suspects'][0]['function']) | ('connection', 'main.callBackend')
500 noted | any('HTTP status 500' in n['text'] for n in d['notes']) | True
truncated dump noted | any(n['text'].startswith('goroutine:') for n in d['notes']) | True
timeout noted | any(n['text'].startswith('heap:') and 'timed out' in n['text'] for n in d['notes']) | True
no snapshot lost | d['snapshots'] == 7 and None not in d['series']['goroutines'] | True
EOF
}

# ---- the service goes away: the report of what was gathered -----------------
serve gone && {
    watch gone 1 "$(cat "$T/gone.addr")" --every 100ms
    expect gone <<EOF
snapshots gathered | d['snapshots'] | 7
verdict | d['suspects'][0]['function'] | main.callBackend
the failures noted | any('retried' in n['text'] and n['t_s'] > 0 for n in d['notes']) | True
EOF
}

# ---- Ctrl-C: the report all the same ------------------------------------------
serve sigint && {
    # interrupted after a few snapshots (the recording has 7; past them
    # the service goes away, which would end the watch too, later)
    "$LH" watch --format json --every 300ms "$(cat "$T/sigint.addr")" >"$T/sigint.json" 2>"$T/sigint.err" &
    w=$!
    for _ in $(seq 300); do grep -qs " 5 snapshots" "$T/sigint.err" && break; sleep 0.05; done
    kill -INT "$w"
    wait "$w"
    check "Ctrl-C: exit status" $? 1
    expect sigint <<EOF
report | d['suspects'][0]['function'] | main.callBackend
interrupted, not gone | any('retried' in n['text'] for n in d['notes']) | False
EOF
}

# ---- nothing there -------------------------------------------------------------
"$LH" watch 127.0.0.1:1 --every 100ms >"$T/none.out" 2>"$T/none.err"
check "unreachable: exit" $? 2
grep -q "no snapshot" "$T/none.err" || fail "unreachable: $(cat "$T/none.err")"

finish
