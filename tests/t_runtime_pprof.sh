#!/usr/bin/env bash
# `diff -o` writes a profile `go tool pprof` reads: for each tests/goleaks
# heap leak, the delta between the first and last snapshot (from protobuf
# and from legacy text input) must load in pprof, name the leaking function,
# and have the leaking line first with exactly the leaked bytes; leakhound's
# own top must read it back the same way. A failing diff leaves no file.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

# pprof_first FILE OPTIONS... -> "flat function file-basename:line" of pprof's first row
pprof_first() {
    local f=$1
    shift
    go tool pprof -top -lines -nodecount=1 "$@" "$f" 2>"$T/pprof.err" |
        awk '/ flat%/ { getline; f = $7; sub(/.*\//, "", f); print $1, $6, f; exit }'
}

for leak in cache blocked deferloop subslice; do
    line=$(marker "$leak.go" "LEAK heap:")
    fn=$(meta "$leak" leak_function)
    # What pprof itself gives the line on the two snapshots (see t_runtime_diff).
    delta=$(pprof_flat "goleaks/$leak.go:$line" -unit=B -sample_index=inuse_space \
        -base "$P/$leak/heap.1.pb.gz" "$P/$leak/heap.7.pb.gz")
    for fmt in pb.gz debug1.txt; do
        out=$T/$leak.$fmt.delta.pb.gz
        what="$leak diff heap.1.$fmt heap.7.$fmt -o"
        checks=$((checks + 1))
        "$LH" diff "$P/$leak/heap.1.$fmt" "$P/$leak/heap.7.$fmt" -o "$out" >"$T/diff.out" 2>"$T/diff.err"
        rc=$?
        case $rc in 0 | 1) ;; *) fail "$what: exit $rc: $(head -c 300 "$T/diff.err")"; continue ;; esac
        [ -s "$out" ] || { fail "$what: wrote no file"; continue; }

        checks=$((checks + 1))
        if go tool pprof -top "$out" >"$T/pprof.top" 2>"$T/pprof.err"; then
            grep -qF "$fn" "$T/pprof.top" || fail "$what: go tool pprof -top does not show $fn: $(head -20 "$T/pprof.top")"
        else
            fail "$what: go tool pprof -top failed: $(head -c 300 "$T/pprof.err")"
            continue
        fi
        check "$what: pprof's first line" "$(pprof_first "$out" -unit=B -sample_index=inuse_space)" \
            "${delta}B $fn $leak.go:$line"

        lhjson t 0 top "$out" --by line --sample inuse_space --format json || continue
        check "$what: leakhound top on it: first entry" "$(where t entries 0)" "$fn $leak.go:$line"
        check "$what: leakhound top on it: first entry's flat" "$(field t entries.0.flat)" "$delta"
    done
done

# Goroutine profiles diff the same way, from each of the three formats: one
# more blocked sender per event published after snapshot 1.
block=$(marker blocked.go "LEAK block:")
IFS=, read -r -a units <<<"$(meta blocked units)"
for fmt in pb.gz debug1.txt debug2.txt; do
    out=$T/goroutine.$fmt.delta.pb.gz
    what="blocked diff goroutine.1.$fmt goroutine.7.$fmt -o"
    checks=$((checks + 1))
    "$LH" diff "$P/blocked/goroutine.1.$fmt" "$P/blocked/goroutine.7.$fmt" -o "$out" >/dev/null 2>"$T/diff.err"
    rc=$?
    case $rc in 0 | 1) ;; *) fail "$what: exit $rc: $(head -c 300 "$T/diff.err")"; continue ;; esac
    # pprof shows runtime.gopark as every parked goroutine's leaf; hiding
    # runtime frames makes the blocking site the leaf, as leakhound has it.
    check "$what: pprof's first line" "$(pprof_first "$out" -hide='^runtime\.')" \
        "$((units[6] - units[0])) main.(*hub).deliver blocked.go:$block"
done

# A heap profile and a goroutine profile have different sample types: the
# diff is refused (exit 2, one line naming the problem) and writes nothing.
out=$T/refused.pb.gz
"$LH" diff "$P/cache/heap.1.pb.gz" "$P/cache/goroutine.7.pb.gz" -o "$out" >/dev/null 2>"$T/diff.err"
check "diff heap vs goroutine -o: exit status" "$?" 2
check "diff heap vs goroutine -o: no output file" "$([ -e "$out" ] && echo exists || echo absent)" absent
check "diff heap vs goroutine -o: one error line" "$(grep -c . "$T/diff.err")" 1

finish
