#!/usr/bin/env bash
# goroutines on real dumps from tests/goleaks. blocked: ~700 goroutines parked
# forever on a channel send must be the first group, with wait reason
# "chan send", blocked at the marked send and created at the marked go
# statement, and suspect; the one live subscriber is not. body: the
# connections whose bodies were never closed leave a readLoop, a writeLoop
# and a server conn.serve each, growing from dump to dump. deferloop and
# control keep a constant handful of goroutines: no suspects, exit 0.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

block=$(marker blocked.go "LEAK block:")
gostmt=$(marker blocked.go "LEAK go:")
blocked=$(meta blocked blocked_senders)

lhjson g 1 goroutines "$P/blocked/goroutine.7.debug2.txt" --format json && {
    what="blocked goroutines goroutine.7.debug2.txt"
    check "$what: first group" "$(where g groups 0)" "main.(*hub).deliver blocked.go:$block"
    check "$what: first group in tests/goleaks" "$(in_goleaks g groups 0)" 1
    check "$what: first group's count" "$(field g groups.0.count)" "$blocked"
    check "$what: first group's wait_reason" "$(field g groups.0.wait_reason)" "chan send"
    check "$what: first group's created_by" "$(where g groups.0 created_by)" \
        "main.(*hub).publish blocked.go:$gostmt"
    check "$what: first group's suspect" "$(field g groups.0.suspect)" true
    # Snapshots are seconds apart, so the dump prints no ", N minutes".
    check "$what: first group's max_wait_minutes" "$(field g groups.0.max_wait_minutes)" 0
    # The live subscriber: one goroutine waiting to receive, as it should.
    n=$(count g groups) found=0
    for ((i = 0; i < n; i++)); do
        [ "$(field g "groups.$i.function")" = main.subscriber ] || continue
        found=1
        check "$what: live subscriber group" "$(field g "groups.$i.count") $(field g "groups.$i.wait_reason") $(field g "groups.$i.suspect")" \
            "1 chan receive false"
    done
    check "$what: live subscriber group present" "$found" 1
}

# The series of seven dumps: the group grows with every event published.
lhjson g 1 goroutines "$P/blocked"/goroutine.[1-7].debug2.txt --format json && {
    what="blocked goroutines goroutine.{1..7}.debug2.txt"
    check "$what: first group" "$(where g groups 0)" "main.(*hub).deliver blocked.go:$block"
    check "$what: first group's created_by" "$(where g groups.0 created_by)" \
        "main.(*hub).publish blocked.go:$gostmt"
    check "$what: first group's suspect" "$(field g groups.0.suspect)" true
}

# Formats without wait reasons or creators (debug=1 text, protobuf) still
# group by the blocking site and count.
for fmt in debug1.txt pb.gz; do
    lhjson g 1 goroutines "$P/blocked"/goroutine.[1-7].$fmt --format json || continue
    what="blocked goroutines goroutine.{1..7}.$fmt"
    check "$what: first group" "$(where g groups 0)" "main.(*hub).deliver blocked.go:$block"
    check "$what: first group's count (last dump)" "$(field g groups.0.count)" "$blocked"
    check "$what: first group's suspect" "$(field g groups.0.suspect)" true
done

# body: the transport's two goroutines per leaked connection (readLoop and
# writeLoop, created by dialConn) come first, in an order among themselves
# that the tie leaves open; the server's conn.serve goroutines, one per
# connection too, are listed but never suspects (the issue: net/http server
# goroutines are not suspects).
requests=$(meta body requests)
lhjson g 1 goroutines "$P/body"/goroutine.[1-7].debug2.txt --format json && {
    what="body goroutines goroutine.{1..7}.debug2.txt"
    seen=
    for i in 0 1; do
        check "$what: group $i's count" "$(field g "groups.$i.count")" "$requests"
        check "$what: group $i's suspect" "$(field g "groups.$i.suspect")" true
        fn=$(field g "groups.$i.function")
        seen="$seen ${fn##*.}"
        check "$what: $fn created_by" "$(field g "groups.$i.created_by.function")" 'net/http.(*Transport).dialConn'
        check "$what: $fn wait_reason" "$(field g "groups.$i.wait_reason")" select
    done
    n=$(count g groups) server=
    for i in $(seq 0 $((n - 1))); do
        [ "$(field g "groups.$i.created_by.function")" = 'net/http.(*Server).Serve' ] || continue
        server=$i
        check "$what: server group's count" "$(field g "groups.$i.count")" "$requests"
        check "$what: server group's wait_reason" "$(field g "groups.$i.wait_reason")" "IO wait"
        check "$what: server group's suspect" "$(field g "groups.$i.suspect")" false
    done
    check "$what: a server group is listed" "${server:+yes}" yes
    check "$what: the transport's groups first" "$(echo $seen | tr ' ' '\n' | sort | tr '\n' ' ')" "readLoop writeLoop "
}

# One process, three formats, the same groups: the server's connections,
# the httptest accept loop, the transport's loops and main, each in a group
# of its own with the same category and count whatever the format (debug=1
# and the proto say nothing of who created a goroutine, but their frames
# still tell a server's connection from the accept loop beside it).
groups_of() {
    local n i
    n=$(count "$1" groups)
    for ((i = 0; i < n; i++)); do
        echo "$(field "$1" "groups.$i.count") $(field "$1" "groups.$i.category") $(field "$1" "groups.$i.start_function")"
    done | sort
}
for fmt in debug2.txt debug1.txt pb.gz; do
    lhjson "b_${fmt%%.*}" "0|1" goroutines "$P/body/goroutine.7.$fmt" --format json
done
want=$(groups_of b_debug2)
check "body goroutine.7.debug2.txt: the accept loop is a group of its own" \
    "$(echo "$want" | grep -c ' http-server ')" 2
for fmt in debug1 pb; do
    check "body goroutine.7: $fmt groups as debug2 does" "$(groups_of "b_$fmt")" "$want"
done

# No goroutine leak: the deferloop worker is a single long-lived goroutine
# (it leaks memory, not goroutines) and the control has only main.
for leak in deferloop control; do
    lhjson g 0 goroutines "$P/$leak"/goroutine.[1-7].debug2.txt --format json || continue
    n=$(count g groups) suspects=0
    for ((i = 0; i < n; i++)); do
        [ "$(field g "groups.$i.suspect")" = true ] && suspects=$((suspects + 1))
    done
    check "$leak goroutines goroutine.{1..7}.debug2.txt: suspects" "$suspects" 0
done

finish
