#!/usr/bin/env bash
# `leakhound watch` through a fault-injecting proxy (tests/watche2e/
# faultproxy.py) in front of the leaking cache service: answers of HTTP 500,
# a truncated heap profile, an answer slower than --timeout, a restart of
# the service (its counters and its leak start again from zero), 404 on
# goroutineleak throughout, and finally the service and proxy vanishing.
# Faults are keyed on the number of the heap request, not on time, so the
# schedule is the same on a loaded machine.
#
# watch must retry, note each fault in the report, keep the snapshots it
# has, detect the restart (not read the drop as memory freed), still name
# the leaking line, and end with its report when the service is gone --
# well before --for.
source "${LH_SRC:?}/tests/watche2e/lib.sh" || exit 1

heap=$(marker cache.go "LEAK heap:")
faults=4:500,5:500,7:trunc,9:slow,12:restart,26:gone

start_bg python3 "$E2E/faultproxy.py" --addrfile "$T/proxy.addr" --faults "$faults" --slow 10 \
    --log "$T/proxy.log" -- "$SVC" -leak=cache -addrfile '{addrfile}' -life=180s 2>"$T/proxy.err"
addr=$(wait_addr proxy) || exit 1

timeout 300 "$LH" watch "http://$addr/debug/pprof/" --every 300ms --for 120s --timeout 3s \
    --format json >"$T/w.json" 2>"$T/w.err"
rc=$?
J=$T/w.json

check "watch: exit status (the leak was found)" "$rc" 1
if ! valid_json "$J" 2>"$T/jerr"; then
    fail "watch: no JSON report: $(head -c 300 "$T/jerr"); stderr: $(head -c 600 "$T/w.err")"
    finish
fi

# Ended by the service's disappearance, with what it had gathered.
d=$(jget "$J" duration_s)
check "watch: ended before --for 120s (duration_s $d)" "$(awk -v d="$d" 'BEGIN { print (d > 0 && d < 110) }')" 1
n=$(jget "$J" snapshots)
check "watch: snapshots kept ($n)" "$(awk -v n="$n" 'BEGIN { print (n >= 12) }')" 1

# The restart at the 12th heap request is a restart, once.
check "watch: restarts detected" "$(jget "$J" restarts | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1

# One note per kind of fault. Wording is the watcher's; these are the words
# any honest note would use.
notes=$(jget "$J" notes)
note_has() {
    checks=$((checks + 1))
    printf '%s' "$notes" | grep -Eiq -- "$2" || fail "watch: no note about $1 (want /$2/) in $notes"
}
note_has "HTTP 500" '500'
note_has "the truncated profile" 'truncat|decod|malformed|unexpected end|short|invalid|corrupt'
note_has "the slow answer" 'timed? ?out|timeout|slow'
note_has "the restart" 'restart'
note_has "the service going away" 'refused|connect|unreachable|gone|went away|stopped answering'

# Across the restart, the leak is still named: the drop is not "no leak".
f=$(jget "$J" suspects.0.file)
check "watch: first suspect" "$(jget "$J" suspects.0.kind) ${f##*/}:$(jget "$J" suspects.0.line)" "heap cache.go:$heap"

# The proxy did what the schedule says (else the test proves nothing).
for want in "heap#4 -> 500" "heap#7 -> truncated" "heap#9 -> slow" "after restart" "heap#26 -> gone"; do
    checks=$((checks + 1))
    grep -qF -- "$want" "$T/proxy.log" || fail "proxy never did '$want' (watch stopped asking early?)"
done

if [ "$failures" -gt 0 ]; then
    echo "--- proxy log:"
    cat "$T/proxy.log"
    echo "--- watch stderr:"
    head -c 2000 "$T/w.err"
fi
finish
