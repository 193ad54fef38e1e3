#!/usr/bin/env bash
# diff on real heap profiles from tests/goleaks: between the first and the
# last of seven snapshots, the leaking line must come first, with exactly the
# bytes pprof gives that line (which are the bytes the program knows it
# leaked, plus any runtime bookkeeping the runtime charges to the line), for
# the protobuf and the legacy text (debug=1) format alike; and leakhound's
# first line must be `go tool pprof -top -lines -base`'s first line on the
# same pair.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

for leak in cache blocked deferloop subslice; do
    line=$(marker "$leak.go" "LEAK heap:")
    fn=$(meta "$leak" leak_function)
    IFS=, read -r -a lb <<<"$(meta "$leak" leak_bytes)"
    delta=$((lb[6] - lb[0]))
    # The runtime hides its own frames, so an object it allocates for its
    # own bookkeeping while serving a large make() (seen: one 96-byte
    # object in subslice) is charged to the same line. pprof counts it
    # too; it must stay a sliver of the line's value.
    want=$(pprof_flat "goleaks/$leak.go:$line" -unit=B -sample_index=inuse_space \
        -base "$P/$leak/heap.1.pb.gz" "$P/$leak/heap.7.pb.gz")
    check "$leak: pprof's delta at the LEAK line ($want) is the program's ($delta) within 0.1%" \
        "$(awk -v w="$want" -v d="$delta" 'BEGIN { print (w != "" && w >= d && w <= d * 1.001) ? 1 : 0 }')" 1
    for fmt in pb.gz debug1.txt; do
        what="$leak diff heap.1.$fmt heap.7.$fmt"
        lhjson d "0|1" diff "$P/$leak/heap.1.$fmt" "$P/$leak/heap.7.$fmt" --by line --format json || continue
        check "$what: sample_type" "$(field d sample_type)" inuse_space
        check "$what: unit" "$(field d unit)" bytes
        # Exact line: the marked make() is the only allocation on it, and
        # where the compiler inlines its function (renderPage, newEvent) the
        # innermost inlined frame still names it and that line.
        check "$what --by line: first entry" "$(where d entries 0)" "$fn $leak.go:$line"
        check "$what --by line: first entry's file in tests/goleaks" "$(in_goleaks d entries 0)" 1
        check "$what --by line: first entry's flat (bytes leaked in between)" "$(field d entries.0.flat)" "$want"

        lhjson f "0|1" diff "$P/$leak/heap.1.$fmt" "$P/$leak/heap.7.$fmt" --by function --format json || continue
        check "$what --by function: first entry" "$(field f entries.0.function)" "$fn"
    done
done

# The reverse diff (newer as base): leakhound lists growth first (pprof
# sorts by magnitude instead), but the shrinking line must be there with the
# negated delta, not dropped.
line=$(marker cache.go "LEAK heap:")
want=$(pprof_flat "goleaks/cache.go:$line" -unit=B -sample_index=inuse_space \
    -base "$P/cache/heap.7.pb.gz" "$P/cache/heap.1.pb.gz")
if lhjson r "0|1" diff "$P/cache/heap.7.pb.gz" "$P/cache/heap.1.pb.gz" --by line -n 0 --format json; then
    got=
    for ((i = 0; i < $(count r entries); i++)); do
        [ "$(where r entries "$i")" = "main.renderPage cache.go:$line" ] && got=$(field r "entries.$i.flat")
    done
    check "cache reverse diff: flat of cache.go:$line" "$got" "$want"
fi

# go tool pprof as the oracle, for every scenario including body, whose
# growth is inside net/http and bufio (no user frame is on those stacks:
# the transport dials from its own goroutine), and the control.
for leak in cache blocked deferloop subslice body; do
    go tool pprof -top -lines -unit=B -nodecount=1 -sample_index=inuse_space \
        -base "$P/$leak/heap.1.pb.gz" "$P/$leak/heap.7.pb.gz" >"$T/pprof.txt" 2>"$T/pprof.err" ||
        { fail "$leak: go tool pprof failed: $(cat "$T/pprof.err")"; continue; }
    row=$(awk '/ flat%/ { getline; print; exit }' "$T/pprof.txt")
    read -r pflat _ _ _ _ pfn pfile _ <<<"$row"
    [ -n "$row" ] || { fail "$leak: no row in pprof output"; continue; }
    lhjson d "0|1" diff "$P/$leak/heap.1.pb.gz" "$P/$leak/heap.7.pb.gz" --by line --format json || continue
    check "$leak diff vs pprof: first entry" "$(where d entries 0)" "$pfn ${pfile##*/}"
    check "$leak diff vs pprof: first entry's flat" "$(field d entries.0.flat)B" "$pflat"
    check "$leak diff vs pprof: first entry's directory" "$(dirname "$(field d entries.0.file)")" "$(dirname "$pfile")"
done

# body: the client's 16 KB read buffers plus the server's 4 KB ones, one each
# per leaked connection, all allocated by bufio.NewReaderSize.
IFS=, read -r -a units <<<"$(meta body units)"
want=$((units[6] - units[0]))   # requests made after snapshot 1
# The runtime may attribute a stray small allocation to the same line (one
# CI run saw 112 B more than the buffers): the buffers' bytes, give or take
# less than one buffer.
if lhjson d "0|1" diff "$P/body/heap.1.pb.gz" "$P/body/heap.7.pb.gz" --by line --format json; then
    check "body diff: first entry is the connections' read buffers" "$(field d entries.0.function)" "bufio.NewReaderSize"
    bytes=$(field d entries.0.flat)
    exact=$((want * (16 + 4) * 1024))
    [ "$bytes" -ge "$exact" ] && [ "$bytes" -lt $((exact + 4096)) ] ||
        fail "body diff: read buffers: got $bytes B, want $exact B (+ less than one 4 KB buffer)"
fi

# The control after warm-up (snapshot 2 on): entries are replaced, sessions
# come and go, nothing grows. No line may show growth of even one cache
# entry, and the bounded cache's line nets to less than one entry either way
# (or is left out).
steady=$(marker control.go "STEADY:")
for fmt in pb.gz debug1.txt; do
    what="control diff heap.2.$fmt heap.7.$fmt"
    lhjson c "0|1" diff "$P/control/heap.2.$fmt" "$P/control/heap.7.$fmt" --by line -n 0 --format json || continue
    check "$what: largest growth below one cache entry (4096 B), was $(where c entries 0) $(field c entries.0.flat)" \
        "$(awk -v f="$(field c entries.0.flat)" 'BEGIN { print (f != "" && f < 4096) ? 1 : 0 }')" 1
    got=0
    for ((i = 0; i < $(count c entries); i++)); do
        [ "$(where c entries "$i")" = "main.(*boundedCache).get control.go:$steady" ] && got=$(field c "entries.$i.flat")
    done
    # Less than one entry either way, not exactly 0: the runtime now and
    # then attributes a few bytes of its own bookkeeping to the line (96 B
    # seen once in CI), while one more or one fewer entry is 4096 B.
    check "$what: net change at the bounded cache (control.go:$steady) below one entry, was $got" \
        "$(awk -v g="$got" 'BEGIN { print (g > -4096 && g < 4096) ? 1 : 0 }')" 1
done

finish
