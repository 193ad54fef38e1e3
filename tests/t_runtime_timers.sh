#!/usr/bin/env bash
# What the go line of go.mod does to timers nobody stops, in a heap profile:
# tests/goleaks/timers makes 20000 unstopped time.NewTicker and 20000
# time.After timers that lose the race, drops them and collects. Built in a
# module saying `go 1.22`, the runtime keeps every one (the GODEBUG default
# asynctimerchan=1 for go lines before 1.23); saying `go 1.23`, it keeps
# none. This is the fact under the rules ticker-not-stopped and
# time-after-in-loop, which fire only for go < 1.23. Asserted as ratios and
# floors, not exact bytes: the timer struct's size is the runtime's business.
name=t_runtime_timers
minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
source "${LH_SRC:?}/tests/golib.sh" || exit 1
if [ -z "$minor" ] || [ "$minor" -lt 23 ]; then
    go_skip "$name" "needs Go >= 1.23"
fi
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off GOWORK=off

n=20000
declare -A pollonce after heap
for v in 1.22 1.23; do
    d=$T/go$v
    mkdir -p "$d"
    cp "$GOLEAKS/timers/main.go" "$d/"
    printf 'module leakhound.test/timers\n\ngo %s\n' "$v" >"$d/go.mod"
    (cd "$d" && go build -o timers .) 2>"$d/build.err" || { fail "go $v: build: $(tail -3 "$d/build.err")"; continue; }
    "$d/timers" -n "$n" -out "$d/heap.pb.gz" >"$d/meta.txt" 2>"$d/run.err" || { fail "go $v: run: $(cat "$d/run.err")"; continue; }
    heap[$v]=$(sed -n 's/^heap_alloc=//p' "$d/meta.txt")
    lhjson t 0 top "$d/heap.pb.gz" --by function -n 0 --format json || continue
    pollonce[$v]=0 after[$v]=0
    for ((i = 0; i < $(count t entries); i++)); do
        case $(field t "entries.$i.function") in
        main.pollOnce) pollonce[$v]=$(field t "entries.$i.cum") ;;
        main.receiveWithTimeout) after[$v]=$(field t "entries.$i.cum") ;;
        esac
    done
    echo "  go $v: in use under main.pollOnce ${pollonce[$v]} B, under main.receiveWithTimeout ${after[$v]} B, HeapAlloc ${heap[$v]} B"
done

# ratio OLD NEW MIN -> 1 when OLD >= MIN * NEW and OLD > 0
ratio() { awk -v o="$1" -v w="$2" -v m="$3" 'BEGIN { print (o != "" && w != "" && o > 0 && o >= m * w) ? 1 : 0 }'; }
# Every one of the n tickers and timers holds a timer and a channel: far
# more than 64 bytes each, however the runtime lays them out.
check "go 1.22: tickers retained (${pollonce[1.22]} B >= 64 B x $n)" "$(ratio "${pollonce[1.22]}" "$n" 64)" 1
check "go 1.22: time.After timers retained (${after[1.22]} B >= 64 B x $n)" "$(ratio "${after[1.22]}" "$n" 64)" 1
check "go 1.23: tickers collected (${pollonce[1.23]} B, 1/100 of go 1.22's at most)" "$(ratio "${pollonce[1.22]}" "${pollonce[1.23]}" 100)" 1
check "go 1.23: time.After timers collected (${after[1.23]} B, 1/100 of go 1.22's at most)" "$(ratio "${after[1.22]}" "${after[1.23]}" 100)" 1
check "HeapAlloc after GC, go 1.22 vs go 1.23 (${heap[1.22]} vs ${heap[1.23]}): 20 times or more" "$(ratio "${heap[1.22]}" "${heap[1.23]}" 20)" 1

finish
