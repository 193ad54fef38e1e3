#!/usr/bin/env bash
# leakhound against a live Go service (built with the go on PATH): the
# blocked-send program from tests/goleaks serving net/http/pprof on
# 127.0.0.1, read through the runtime's own endpoints -- heap (?gc=1,
# ?debug=1), goroutine (protobuf, ?debug=1, ?debug=2) and the ?seconds=N
# delta profiles, which are written by the pprof library's encoder rather
# than the runtime's. The leak must be on top in each, and the pprof
# server's own goroutines must not be suspects.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

heap=$(marker blocked.go "LEAK heap:")
block=$(marker blocked.go "LEAK block:")
gostmt=$(marker blocked.go "LEAK go:")

# The program exits by itself after 120 s; the end of the test ends it sooner.
start_bg "$LH_BUILD/goleaks/bin/goleaks" -leak=blocked -serve=120s -addrfile="$T/addr" 2>"$T/serve.err"
wait_file "$T/addr" "goleaks -serve" "$T/serve.err" || finish
base=http://$(cat "$T/addr")/debug/pprof
sleep 1 # a few rounds of traffic

for q in "heap?gc=1" "heap?gc=1&debug=1"; do
    lhjson t 0 top "$base/$q" --by line --format json &&
        check "top $q: first entry" "$(where t entries 0)" "main.newEvent blocked.go:$heap"
done

for q in "goroutine?debug=2" "goroutine?debug=1" "goroutine"; do
    lhjson g 1 goroutines "$base/$q" --format json || continue
    check "goroutines $q: first group" "$(where g groups 0)" "main.(*hub).deliver blocked.go:$block"
    check "goroutines $q: first group's suspect" "$(field g groups.0.suspect)" true
    n=$(count g groups) others=0
    for ((i = 1; i < n; i++)); do
        [ "$(field g "groups.$i.suspect")" = true ] && { others=$((others + 1)); echo "  suspect: $(where g groups "$i")"; }
    done
    # The live subscriber, main, and the pprof HTTP server's listener and
    # connection goroutines: few, and not blocked in a leaking way.
    check "goroutines $q: suspects besides the blocked senders" "$others" 0
done
lhjson g 1 goroutines "$base/goroutine?debug=2" --format json && {
    check "goroutines goroutine?debug=2: first group's wait_reason" "$(field g groups.0.wait_reason)" "chan send"
    check "goroutines goroutine?debug=2: first group's created_by" "$(where g groups.0 created_by)" \
        "main.(*hub).publish blocked.go:$gostmt"
}

# Delta profiles over two seconds of traffic: only what changed in between.
lhjson d 0 top "$base/heap?seconds=2" --by line --format json && {
    check "top heap?seconds=2: first entry" "$(where d entries 0)" "main.newEvent blocked.go:$heap"
    check "top heap?seconds=2: first entry grew" "$(awk -v f="$(field d entries.0.flat)" 'BEGIN { print (f > 0) ? 1 : 0 }')" 1
}
lhjson d 0 top "$base/goroutine?seconds=2" --by line --format json &&
    check "top goroutine?seconds=2: first entry" "$(where d entries 0)" "main.(*hub).deliver blocked.go:$block"

finish
