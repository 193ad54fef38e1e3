#!/usr/bin/env bash
# trend on seven real heap snapshots from tests/goleaks, 300 ms apart:
# each leak's marked line is the first site and `growing`, with the slope the
# program's own bookkeeping implies; the control, which warms up (60% of its
# working set at snapshot 1, all of it from snapshot 2) and then holds
# steady, has no growing site, and its working set is a `plateau`.
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1

# fit LEAK -> "slope r2": the least-squares slope in bytes per hour of the
# leak_bytes series against the snapshot times the program recorded (within
# a millisecond of the profiles' time_nanos), and its coefficient of
# determination -- what trend must compute from the profiles. Computed, not
# assumed: on a loaded machine snapshots come late and the points are
# uneven, though the program keeps the traffic proportional to time.
fit() {
    paste -d' ' <(meta "$1" times_ns | tr , '\n') <(meta "$1" leak_bytes | tr , '\n') |
        awk '{ t[NR] = $1 / 1e9; y[NR] = $2 }
             END { n = NR; t0 = t[1]; for (i = 1; i <= n; i++) { t[i] -= t0 }
                   for (i = 1; i <= n; i++) { st += t[i]; sy += y[i] }
                   mt = st / n; my = sy / n
                   for (i = 1; i <= n; i++) { sxy += (t[i] - mt) * (y[i] - my); sxx += (t[i] - mt) ^ 2; syy += (y[i] - my) ^ 2 }
                   printf "%.0f %.6f\n", sxy / sxx * 3600, sxy * sxy / (sxx * syy) }'
}

# within GOT WANT PCT -> 1 when |GOT - WANT| <= PCT% of WANT
within() { awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; print (g != "" && d <= w * p / 100) ? 1 : 0 }'; }

for leak in cache blocked deferloop subslice; do
    line=$(marker "$leak.go" "LEAK heap:")
    fn=$(meta "$leak" leak_function)
    read -r want_slope want_r2 <<<"$(fit "$leak")"
    for fmt in pb.gz debug1.txt; do
        what="$leak trend heap.{1..7}.$fmt"
        lhjson t 1 trend "$P/$leak"/heap.[1-7]."$fmt" --format json || continue
        check "$what: first site" "$(where t sites 0)" "$fn $leak.go:$line"
        check "$what: first site's class" "$(field t sites.0.class)" growing
        # Text profiles carry no time; the files' modification times (set by
        # goleaks to the moment of capture, 300 ms apart) are what orders
        # and spaces them, so the slope holds for both formats. 5% allows
        # for the ms between the program's clock reading and the runtime's,
        # and still catches a wrong unit (per second, per ns), a wrong
        # time source or a clock truncated to whole seconds.
        check "$what: slope_bytes_per_hour $(field t sites.0.slope_bytes_per_hour) ~ $want_slope" \
            "$(within "$(field t sites.0.slope_bytes_per_hour)" "$want_slope" 5)" 1
        check "$what: r2 $(field t sites.0.r2) ~ $want_r2" \
            "$(awk -v r="$(field t sites.0.r2)" -v w="$want_r2" 'BEGIN { d = r - w; if (d < 0) d = -d; print (r != "" && d <= 0.005 && r <= 1.0000001) ? 1 : 0 }')" 1
    done
    # Snapshots are ordered by their own time, not by argument order.
    lhjson t 1 trend $(ls "$P/$leak"/heap.[1-7].pb.gz | sort -r) --format json &&
        check "$leak trend, arguments newest first: first site" "$(where t sites 0)" "$fn $leak.go:$line" &&
        check "$leak trend, arguments newest first: class" "$(field t sites.0.class)" growing
done

# deferloop: the deferred closures and their _defer records pile up as well,
# 250 per snapshot, small (80 B each on Go 1.26, 112 B on 1.19) but just as
# steady, and past trend's --min-growth (see the rate in deferloop.go).
defer_line=$(marker deferloop.go "LEAK defer:")
lhjson t 1 trend "$P/deferloop"/heap.[1-7].pb.gz --format json && {
    got=
    for ((i = 0; i < $(count t sites); i++)); do
        [ "$(where t sites "$i")" = "main.worker deferloop.go:$defer_line" ] && got=$(field t "sites.$i.class")
    done
    check "deferloop trend: the defer statement's site (deferloop.go:$defer_line)" "$got" growing
}

# body: the read buffers of leaked connections grow, in net/http's and
# bufio's code; no site of the program's own is where the memory is.
lhjson t 1 trend "$P/body"/heap.[1-7].pb.gz --format json &&
    check "body trend: first site" "$(field t sites.0.function) $(field t sites.0.class)" "bufio.NewReaderSize growing"

# The control: nothing grows.
steady=$(marker control.go "STEADY:")
noise=$(marker control.go "NOISE:")
for fmt in pb.gz debug1.txt; do
    what="control trend heap.{1..7}.$fmt"
    lhjson c 0 trend "$P/control"/heap.[1-7]."$fmt" --format json || continue
    n=$(count c sites)
    growing=0 steady_class= noise_class=
    for ((i = 0; i < n; i++)); do
        class=$(field c "sites.$i.class")
        [ "$class" = growing ] && { growing=$((growing + 1)); echo "  growing in control: $(where c sites "$i")"; }
        if [ "$(in_goleaks c sites "$i")" = 1 ]; then
            case $(field c "sites.$i.line") in
            "$steady") steady_class=$class ;;
            "$noise") noise_class=$class ;;
            esac
        fi
    done
    check "$what: sites classed growing" "$growing" 0
    check "$what: the bounded cache (control.go:$steady) after warm-up" "$steady_class" plateau
    case $noise_class in
    plateau | noise) checks=$((checks + 1)) ;;
    *) fail "$what: sessions going up and down (control.go:$noise) classed '$noise_class', want noise or plateau" ;;
    esac
done

finish
