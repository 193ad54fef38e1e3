# Sourced by the bench scripts: wall time, CPU time and peak RSS of one
# command through GNU time, and best-of-N over several runs.
#
# Peak RSS is what wait4 reports for the command: its largest single process
# (a parent that waited for its children counts their peaks, not their sum).
# For `go vet` and `go tool pprof` that is the largest of the go command and
# the tool processes it starts, so several vet processes running side by side
# together use more than the figure shows.

# GNU time, from Debian's `time` package when missing (root on these machines).
if [ ! -x /usr/bin/time ]; then
    echo "bench: installing Debian's time (GNU time, for peak RSS)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; } >/dev/null
fi

# measure OUT CMD...: runs CMD once, its stdout to OUT and stderr to OUT.err.
# Sets M_WALL and M_CPU (seconds, CPU = user + sys), M_RSS (KiB) and M_RC
# (CMD's exit status, which is not checked: peers exit 1 on findings).
measure() {
    local out=$1 tf
    shift
    tf=$(mktemp "${TMPDIR:-/tmp}/lh-time.XXXXXX")
    /usr/bin/time -f '%e %U %S %M %x' -o "$tf" "$@" >"$out" 2>"$out.err" || true
    local u s
    read -r M_WALL u s M_RSS M_RC < <(tail -1 "$tf")
    rm -f "$tf"
    M_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
}

# best_of N OUT CMD...: measure N times. Sets B_WALL and B_CPU to the best
# (lowest) of the runs, B_RSS to the highest peak RSS seen and B_RC to the
# last exit status. The machine is shared: the best run is the one least
# disturbed by others, and CPU time is printed beside wall time for the same
# reason.
best_of() {
    local n=$1 i
    shift
    B_WALL="" B_CPU="" B_RSS=0
    for ((i = 0; i < n; i++)); do
        measure "$@"
        if [ -z "$B_WALL" ] || awk -v a="$M_WALL" -v b="$B_WALL" 'BEGIN { exit !(a < b) }'; then B_WALL=$M_WALL; fi
        if [ -z "$B_CPU" ] || awk -v a="$M_CPU" -v b="$B_CPU" 'BEGIN { exit !(a < b) }'; then B_CPU=$M_CPU; fi
        if [ "$M_RSS" -gt "$B_RSS" ]; then B_RSS=$M_RSS; fi
        B_RC=$M_RC
    done
}

# mib KIB: KiB as MiB, one decimal.
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# load: the load averages, and the cores, for the header line.
load() { echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
