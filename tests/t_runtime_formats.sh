#!/usr/bin/env bash
# Every profile format the runtime writes -- the go on PATH, 1.19 through
# 1.27; t_runtime_goroutineleak does the same for Go 1.27.3 -- loads with
# `top`: heap protobuf and legacy text (debug=1), goroutine protobuf,
# debug=1 and debug=2, at the first and the last snapshot of every
# tests/goleaks program.
# Totals agree with the runtime's own (the text headers, or pprof for the
# protobuf), and where a program leaks, the leaking line is on top with the
# exact bytes (or goroutines) the program holds -- in every format.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

# pprof_total FILE [pprof options] -> pprof's total (unit suffix dropped)
pprof_total() {
    local f=$1
    shift
    go tool pprof -top -nodecount=1 "$@" "$f" 2>/dev/null |
        sed -n 's/.* of \([0-9]*\)B* total.*/\1/p' | head -1
}

for leak in cache blocked deferloop subslice body control; do
    for n in 1 7; do
        for f in heap.$n.pb.gz heap.$n.debug1.txt goroutine.$n.pb.gz goroutine.$n.debug1.txt goroutine.$n.debug2.txt; do
            what="$leak top $f"
            lhjson t 0 top "$P/$leak/$f" -n 0 --format json || continue
            [ "$(count t entries)" -gt 0 ] || fail "$what: no entries"
            case $f in
            heap.*)
                check "$what: sample_type" "$(field t sample_type) $(field t unit)" "inuse_space bytes" ;;
            goroutine.*)
                # The three goroutine formats count the same thing.
                check "$what: sample_type" "$(field t sample_type) $(field t unit)" "goroutine count" ;;
            esac
            case $f in
            heap.*.debug1.txt)
                # "heap profile: <inuse objects>: <inuse bytes> [...] @ heap/2"
                want=$(sed -n '1s/^heap profile: [0-9]*: \([0-9]*\) .*/\1/p' "$P/$leak/$f") ;;
            goroutine.*.debug1.txt)
                want=$(sed -n '1s/^goroutine profile: total \([0-9]*\)$/\1/p' "$P/$leak/$f") ;;
            goroutine.*.debug2.txt)
                want=$(grep -c '^goroutine [0-9]* \[' "$P/$leak/$f") ;;
            heap.*.pb.gz)
                want=$(pprof_total "$P/$leak/$f" -unit=B -sample_index=inuse_space) ;;
            goroutine.*.pb.gz)
                want=$(pprof_total "$P/$leak/$f") ;;
            esac
            check "$what: total" "$(field t total)" "$want"
        done
    done
done

# The leaking line on top of the last snapshot, in both heap formats, with
# the bytes pprof gives that line, which are the bytes the program says the
# line holds plus any runtime bookkeeping charged to it (see t_runtime_diff).
for leak in cache blocked deferloop subslice; do
    line=$(marker "$leak.go" "LEAK heap:")
    fn=$(meta "$leak" leak_function)
    IFS=, read -r -a lb <<<"$(meta "$leak" leak_bytes)"
    want=$(pprof_flat "goleaks/$leak.go:$line" -unit=B -sample_index=inuse_space "$P/$leak/heap.7.pb.gz")
    check "$leak: pprof's bytes at the LEAK line ($want) are the program's (${lb[6]}) within 0.1%" \
        "$(awk -v w="$want" -v d="${lb[6]}" 'BEGIN { print (w != "" && w >= d && w <= d * 1.001) ? 1 : 0 }')" 1
    for f in heap.7.pb.gz heap.7.debug1.txt; do
        lhjson t 0 top "$P/$leak/$f" --by line --sample inuse_space --format json || continue
        check "$leak top $f --by line: first entry" "$(where t entries 0)" "$fn $leak.go:$line"
        check "$leak top $f --by line: first entry's flat" "$(field t entries.0.flat)" "$want"
    done
done

# At the runtime's default sampling rate (cache-sampled), heap values are
# estimates: the runtime scales each record in the protobuf, the reader must
# scale the text's raw counts the same way (pprof's formula). Both files of a
# snapshot hold the same records, so every entry must agree exactly.
for n in 1 7; do
    what="cache-sampled top heap.$n (protobuf vs debug=1 text)"
    lhjson sp 0 top "$P/cache-sampled/heap.$n.pb.gz" --by line -n 0 --format json || continue
    lhjson st 0 top "$P/cache-sampled/heap.$n.debug1.txt" --by line -n 0 --format json || continue
    checks=$((checks + 1))
    grep -E '^(sample_type|unit|total|entries\.[0-9]+\.(function|file|line|flat|cum))'$'\t' "$T/sp.tsv" >"$T/sp.cmp"
    grep -E '^(sample_type|unit|total|entries\.[0-9]+\.(function|file|line|flat|cum))'$'\t' "$T/st.tsv" >"$T/st.cmp"
    if ! diff -q "$T/sp.cmp" "$T/st.cmp" >/dev/null; then
        fail "$what: entries differ: $(diff "$T/sp.cmp" "$T/st.cmp" | head -6 | tr '\n' ' ')"
    fi
    [ "$(count sp entries)" -gt 0 ] || fail "$what: no entries"
done
line=$(marker cache.go "LEAK heap:")
want=$(pprof_flat "goleaks/cache.go:$line" -unit=B -sample_index=inuse_space "$P/cache-sampled/heap.7.pb.gz")
lhjson st 0 top "$P/cache-sampled/heap.7.debug1.txt" --by line -n 0 --format json && {
    got=
    for ((i = 0; i < $(count st entries); i++)); do
        [ "$(where st entries "$i")" = "main.renderPage cache.go:$line" ] && got=$(field st "entries.$i.flat")
    done
    check "cache-sampled top heap.7.debug1.txt: scaled bytes at cache.go:$line (pprof on the protobuf)" "$got" "$want"
}

# The blocked senders on top of every goroutine format.
block=$(marker blocked.go "LEAK block:")
for f in goroutine.7.pb.gz goroutine.7.debug1.txt goroutine.7.debug2.txt; do
    lhjson t 0 top "$P/blocked/$f" --by line --format json || continue
    check "blocked top $f --by line: first entry" "$(where t entries 0)" "main.(*hub).deliver blocked.go:$block"
    check "blocked top $f --by line: first entry's flat" "$(field t entries.0.flat)" "$(meta blocked blocked_senders)"
done

finish
