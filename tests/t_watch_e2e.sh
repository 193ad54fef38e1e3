#!/usr/bin/env bash
# `leakhound watch` end to end, on loopback, on the Go on PATH: one real
# service per seed leak (tests/watche2e/svc, built now) and a control that
# warms up and then holds steady, all running at once. A short watch of each
# (--every 300ms --for 6s) must name the leaking line first -- the file:line
# of its LEAK marker, with the right kind -- and nothing for the control.
# With --source over the services' code, the first suspect must be
# confirmed by the static rule that describes the same leak.
#
# Every leak is watched twice at once, with and without --source, so the
# ranking is checked without the boost a confirmation gives. Verdicts only:
# no timing is checked, and the leaks are fast enough (hundreds of kB/s, a
# hundred goroutines/s) to stand out after a few snapshots on a loaded
# machine.
source "${LH_SRC:?}/tests/watche2e/lib.sh" || exit 1

leaks=(cache blocked deferloop body subslice)
declare -A kind rule file lines
kind[cache]=heap rule[cache]=unbounded-cache file[cache]=cache.go
lines[cache]=$(marker cache.go "LEAK heap:")
kind[deferloop]=heap rule[deferloop]=defer-in-loop file[deferloop]=deferloop.go
lines[deferloop]=$(marker deferloop.go "LEAK heap:")
kind[subslice]=heap rule[subslice]=subslice-retention file[subslice]=subslice.go
lines[subslice]=$(marker subslice.go "LEAK heap:")
# Blocked senders: the group where they wait, or (as a heap site, their
# goroutine structs) the go statement that made them.
kind[blocked]="goroutines|leaked-goroutines" rule[blocked]=goroutine-blocked-send file[blocked]=blocked.go
lines[blocked]="$(marker blocked.go "LEAK block:")|$(marker blocked.go "LEAK go:")"
# An unclosed body: the user's call that made the request.
kind[body]=connection rule[body]=unclosed-body file[body]=body.go
lines[body]=$(marker body.go "LEAK conn:")

for s in "${leaks[@]}" control; do start_svc "$s" "$s"; done
declare -A addr
for s in "${leaks[@]}" control; do addr[$s]=$(wait_addr "$s") || exit 1; done

# The watches, all at once; each ends by itself after --for (the timeout is
# only a guard against a hang).
watch() {
    local name=$1 url=$2
    shift 2
    timeout 180 "$LH" watch "$url" --every 300ms --for 6s --format json "$@" \
        >"$T/$name.json" 2>"$T/$name.err"
    echo $? >"$T/$name.rc"
}
wpids=()
for s in "${leaks[@]}"; do
    watch "$s" "http://${addr[$s]}/debug/pprof/" &
    wpids+=($!)
    watch "$s.src" "${addr[$s]}" --source "$SVCDIR" &
    wpids+=($!)
done
watch control "http://${addr[control]}/debug/pprof/" &
wpids+=($!)
watch control.src "${addr[control]}" --source "$SVCDIR" &
wpids+=($!)
wait "${wpids[@]}"

# first_suspect RUN -> "kind file-basename:line" of its first suspect
first_suspect() {
    local f
    f=$(jget "$T/$1.json" suspects.0.file)
    echo "$(jget "$T/$1.json" suspects.0.kind) ${f##*/}:$(jget "$T/$1.json" suspects.0.line)"
}

# Runs that exited badly or wrote no JSON are reported once, then skipped.
usable() {
    local run=$1 rc
    rc=$(cat "$T/$run.rc")
    checks=$((checks + 1))
    case $rc in 0 | 1) ;; *)
        fail "watch $run: exit $rc: $(head -c 400 "$T/$run.err")"
        return 1
        ;;
    esac
    if ! valid_json "$T/$run.json" 2>"$T/$run.jerr"; then
        fail "watch $run: output is not JSON: $(head -c 200 "$T/$run.jerr")"
        return 1
    fi
    checks=$((checks + 1))
    local n
    n=$(jget "$T/$run.json" snapshots)
    [ "${n:-0}" -ge 4 ] 2>/dev/null || fail "watch $run: $n snapshots in 6 s at 300 ms, want 4 or more"
}

for s in "${leaks[@]}"; do
    want="(${kind[$s]}) ${file[$s]}:(${lines[$s]})"
    for run in "$s" "$s.src"; do
        usable "$run" || continue
        check "watch $run: exit status (suspects found)" "$(cat "$T/$run.rc")" 1
        check_match "watch $run: first suspect" "$(first_suspect "$run")" "^$want\$"
        c=$(jget "$T/$run.json" suspects.0.confidence)
        check "watch $run: first suspect's confidence $c in (0,1]" "$(awk -v c="$c" 'BEGIN { print (c > 0 && c <= 1) }')" 1
        g=$(jget "$T/$run.json" suspects.0.growth_per_hour)
        check "watch $run: first suspect's growth $g per hour > 0" "$(awk -v g="$g" 'BEGIN { print (g > 0) }')" 1
    done
    run=$s
    [ -s "$T/$run.json" ] && valid_json "$T/$run.json" 2>/dev/null &&
        check "watch $run: without --source nothing is confirmed" "$(jget "$T/$run.json" suspects.0.confirmed_by)" null
    run=$s.src
    [ -s "$T/$run.json" ] && valid_json "$T/$run.json" 2>/dev/null && {
        check "watch $run: confirmed by" "$(jget "$T/$run.json" suspects.0.confirmed_by.rule)" "${rule[$s]}"
        f=$(jget "$T/$run.json" suspects.0.confirmed_by.file)
        check "watch $run: the confirming finding's file" "${f##*/}" "${file[$s]}"
    }
done

for run in control control.src; do
    usable "$run" || continue
    check "watch $run: exit status (nothing found)" "$(cat "$T/$run.rc")" 0
    n=$(jget "$T/$run.json" suspects)
    check "watch $run: suspects" "$n" "[]"
    [ "$n" = "[]" ] || echo "  control's first suspect: $(first_suspect "$run")"
done

[ "$failures" -gt 0 ] && for s in "${leaks[@]}" control; do
    echo "--- $s: $(head -c 600 "$T/$s.err")"
done
finish
