#!/usr/bin/env bash
# `leakhound watch --pid` and `--exec` on processes without pprof
# (tests/watche2e/rss, a Go program): one whose resident memory grows, one
# that holds steady, and one that grows to a limit and exits -- run under
# --exec, which restarts it, it draws seed 000's sawtooth, and watch must
# name that pattern. Also: --pid ends with its report when the process
# does, and a command that cannot run is a usage error. Verdicts only; the
# programs pace their growth by the clock.
source "${LH_SRC:?}/tests/watche2e/lib.sh" || exit 1

"$RSS" -mode grow -rate 12 -life 120s 2>"$T/grow.err" &
grow=$!
PIDS+=($grow)
"$RSS" -mode steady -life 120s 2>"$T/steady.err" &
steady=$!
PIDS+=($steady)
# Let the steady one do its one allocation before it is watched: its
# startup is not what is being judged.
sleep 1

w() {
    local name=$1
    shift
    timeout 180 "$LH" watch --every 200ms --format json "$@" >"$T/$name.json" 2>"$T/$name.err"
    echo $? >"$T/$name.rc"
}
w grow --pid "$grow" --for 4s &
p1=$!
w steady --pid "$steady" --for 4s &
p2=$!
# 40 MB at 16 MB/s: it exits (status 3) every 2.5 s or so.
w saw --for 9s --exec -- "$RSS" -mode limit -rate 16 -limit 40 &
p3=$!
# A process that ends during the watch: --pid stops with what it has.
"$RSS" -mode grow -rate 4 -life 2s 2>/dev/null &
short=$!
w short --pid "$short" --for 60s &
p4=$!
wait "$p1" "$p2" "$p3" "$p4"
wait "$short" 2>/dev/null

ok() {
    local run=$1 want=$2
    check "watch $run: exit status ($(head -c 300 "$T/$run.err"))" "$(cat "$T/$run.rc")" "$want"
    valid_json "$T/$run.json" 2>/dev/null || { fail "watch $run: output is not JSON"; return 1; }
}

ok grow 1 && {
    check "watch --pid grow: first suspect's kind" "$(jget "$T/grow.json" suspects.0.kind)" rss
    g=$(jget "$T/grow.json" suspects.0.growth_per_hour)
    # 12 MB/s is 43 GB/h; anything of that order will do.
    check "watch --pid grow: growth $g per hour over 10 GB" "$(awk -v g="$g" 'BEGIN { print (g > 10e9) }')" 1
    check_match "watch --pid grow: target" "$(jget "$T/grow.json" target)" "^pid $grow\$"
}
ok steady 0 && check "watch --pid steady: suspects" "$(jget "$T/steady.json" suspects)" "[]"

ok saw 1 && {
    check "watch --exec limit: first suspect's kind" "$(jget "$T/saw.json" suspects.0.kind)" rss
    check_match "watch --exec limit: the verdict names the sawtooth" "$(jget "$T/saw.json" verdict)" "sawtooth"
    check_match "watch --exec limit: restarts" "$(jget "$T/saw.json" restarts)" '^\[[0-9]+(, ?[0-9]+)*\]$'
    check_match "watch --exec limit: a note says how it ended" "$(jget "$T/saw.json" notes)" "exited with status 3"
}

check_match "watch --pid short: exit status" "$(cat "$T/short.rc")" '^[01]$'
if ! valid_json "$T/short.json" 2>/dev/null; then
    fail "watch --pid short: output is not JSON ($(head -c 300 "$T/short.err"))"
else
    d=$(jget "$T/short.json" duration_s)
    check "watch --pid short: ended with the process (duration_s $d < 30)" "$(awk -v d="$d" 'BEGIN { print (d > 0 && d < 30) }')" 1
    check_match "watch --pid short: a note says it exited" "$(jget "$T/short.json" notes)" "exited"
fi

"$LH" watch --for 1s --exec -- /nonexistent/leakhound-cmd >/dev/null 2>"$T/bad.err"
check "watch --exec of a missing command: exit status" "$?" 2
check_match "watch --exec of a missing command: message" "$(cat "$T/bad.err")" "cannot run /nonexistent/leakhound-cmd"
"$LH" watch --for 1s --pid 0 >/dev/null 2>"$T/bad.err"
check "watch --pid 0: exit status" "$?" 2

finish
